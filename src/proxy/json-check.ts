// JSON.parse keeps the last of two equal keys while another parser (the server's) may keep the first, so a
// message like {"name":"safe","name":"evil"} could be checked as one tool and run as another. We refuse
// any object with a repeated key. The input must already be valid JSON (callers JSON.parse it first).

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Where the string opened by the quote at `open` ends (-1 if it never does). Strings are most of a
 * message's bytes (a tool's text result): jump from quote to quote with the native indexOf, and tell an
 * escaped quote by the run of backslashes before it (odd = escaped).
 */
function closingQuote(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  while (end !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return -1;
}

/**
 * Whether any object nested at most `maxDepth` deep (1 = the top-level object; arrays count as a level)
 * repeats a key, given the text and what JSON.parse made of it. The fast test on the relay's path:
 * JSON.parse keeps one property per distinct key, so the parsed objects hold fewer keys than the text
 * writes exactly when some object repeats one. In the text every key is followed by the only `:` outside
 * strings, so counting those is enough; no key is sliced, decoded or stored.
 */
export function hasDuplicateKey(text: string, parsed: unknown, maxDepth = Infinity): boolean {
  return keysWritten(text, maxDepth) !== keysParsed(parsed, 1, maxDepth);
}

function keysWritten(text: string, maxDepth: number): number {
  let keys = 0;
  let depth = 0;
  const length = text.length;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = closingQuote(text, i);
      if (end === -1) return -1; // not JSON: never equal to a parsed count
      i = end + 1;
      continue;
    }
    if (c === 0x3a) {
      if (depth <= maxDepth) keys++;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
    i++;
  }
  return keys;
}

function keysParsed(value: unknown, depth: number, maxDepth: number): number {
  if (value === null || typeof value !== 'object' || depth > maxDepth) return 0;
  let keys = 0;
  if (Array.isArray(value)) {
    if (depth === maxDepth) return 0; // its elements are deeper than asked
    for (const item of value) keys += keysParsed(item, depth + 1, maxDepth);
    return keys;
  }
  // for…in, not Object.keys: no array per object. It would also count enumerable keys inherited from a
  // polluted Object.prototype, which can only make the counts differ: a refusal, never a miss.
  for (const name in value) {
    keys++;
    if (depth < maxDepth) keys += keysParsed((value as Record<string, unknown>)[name], depth + 1, maxDepth);
  }
  return keys;
}
