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
 * The first key that appears twice in one object, decoded; undefined when every object's keys are unique.
 * With `maxDepth`, only objects nested at most that deep are checked (1 = the top-level object).
 */
export function findDuplicateKey(text: string, maxDepth = Infinity): string | undefined {
  // One entry per open container: the keys seen so far for objects, null for arrays. Most objects have a
  // handful of keys, where a linear scan of an array beats allocating a Set; big ones switch to a Set.
  const stack: (string[] | Set<string> | null)[] = [];
  let expectKey = false;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      const end = closingQuote(text, start);
      i = end === -1 ? length : end;
      if (expectKey) {
        const keys = stack[stack.length - 1];
        if (keys) {
          const raw = text.slice(start + 1, i);
          // "\u0061" and "a" are the same key once decoded.
          const key = raw.includes('\\') ? (JSON.parse(text.slice(start, i + 1)) as string) : raw;
          if (Array.isArray(keys)) {
            if (keys.includes(key)) return key;
            keys.push(key);
            if (keys.length > 16) stack[stack.length - 1] = new Set(keys);
          } else {
            if (keys.has(key)) return key;
            keys.add(key);
          }
        }
        expectKey = false;
      }
      continue;
    }
    switch (c) {
      case 0x7b: // {
        stack.push(stack.length < maxDepth ? [] : null);
        expectKey = true;
        break;
      case 0x5b: // [
        stack.push(null);
        expectKey = false;
        break;
      case 0x7d: // }
      case 0x5d: // ]
        stack.pop();
        expectKey = false;
        break;
      case 0x2c: // ,
        // An object deeper than maxDepth is null too: its keys are skipped like array elements.
        expectKey = stack[stack.length - 1] != null;
        break;
      default:
        break;
    }
  }
  return undefined;
}

/**
 * Whether any object nested at most `maxDepth` deep (1 = the top-level object; arrays count as a level)
 * repeats a key, given the text and what JSON.parse made of it. The fast test on the relay's path:
 * JSON.parse keeps one property per distinct key, so the parsed objects hold fewer keys than the text
 * writes exactly when some object repeats one. In the text every key is followed by the only `:` outside
 * strings, so counting those is enough; no key is sliced, decoded or stored. findDuplicateKey names the key.
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
