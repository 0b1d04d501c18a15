import type { JsonValue } from '../model.js';

/** Structural equality of JSON values; key order is irrelevant, as it is in the digests. */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  for (const key of keysA) {
    if (!Object.hasOwn(b, key) || !jsonEqual(a[key], b[key])) return false;
  }
  return true;
}

/** Short one-line JSON for details; long values are cut (renderers escape the result). */
export function brief(value: JsonValue | undefined, max = 80): string {
  if (value === undefined) return 'absent';
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `a.b`, or `a["odd key"]` when the key would make the path ambiguous. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  const safe = /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key);
  if (base === '') return safe ? key : `[${JSON.stringify(key)}]`;
  return safe ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

/**
 * Definitions nested deeper than this are refused: a hostile server can send JSON that parses fine
 * but overflows the stack of every recursive walk after it (canonicalisation fails near 5,000
 * levels). Real tool schemas stay far below.
 */
export const MAX_JSON_DEPTH = 200;

/** Recursion stops at `max`, so this walk cannot overflow on the inputs it exists to catch. */
export function jsonDepthExceeds(value: JsonValue, max: number = MAX_JSON_DEPTH): boolean {
  return exceeds(value, max);
}

function exceeds(value: JsonValue, remaining: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (remaining <= 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (exceeds(item, remaining - 1)) return true;
    return false;
  }
  for (const key in value) if (exceeds(value[key]!, remaining - 1)) return true;
  return false;
}
