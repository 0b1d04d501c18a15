// JSON.parse keeps the last of two equal keys while another parser (the server's) may keep the first, so a
// message like {"name":"safe","name":"evil"} could be checked as one tool and run as another. We refuse
// any object with a repeated key. The input must already be valid JSON (callers JSON.parse it first).

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

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
      // Strings are most of a message's bytes (a tool's text result): jump from quote to quote with the
      // native indexOf, and tell an escaped quote by the run of backslashes before it (odd = escaped).
      let end = text.indexOf('"', start + 1);
      while (end !== -1) {
        let backslashes = 0;
        while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
        if (backslashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
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
