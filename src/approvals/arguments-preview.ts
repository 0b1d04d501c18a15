// What the user sees of a call's arguments before approving it, and the hash an approval is bound to.

import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { redact } from '../findings/redact.js';

export const PREVIEW_MAX_CHARS = 400;
/** Redaction runs on at most this much text: arguments can be megabytes, and only the start is shown. */
const REDACT_WINDOW = 64 * 1024;

/**
 * SHA-256 of the arguments' RFC 8785 canonical JSON, so key order or whitespace cannot make a different
 * call look approved. Throws on values JSON cannot express (lone surrogates): the caller fails closed.
 */
export function hashArguments(args: unknown): string {
  const text = canonicalize(args ?? {});
  if (text === undefined) throw new Error('the arguments have no JSON form');
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** One-line JSON of the arguments, redacted and truncated; escaped only when displayed (the CLI does it). */
export function previewArguments(args: unknown, maxChars: number = PREVIEW_MAX_CHARS): string {
  let text: string;
  try {
    text = JSON.stringify(args ?? {}) ?? String(args);
  } catch {
    text = '(the arguments cannot be shown)';
  }
  return boundPreview(text, maxChars);
}

/** Redacts, then cuts to maxChars code points: redacting first means a cut can never expose half a secret. */
export function boundPreview(text: string, maxChars: number = PREVIEW_MAX_CHARS): string {
  const redacted = redact(text.length > REDACT_WINDOW ? text.slice(0, REDACT_WINDOW) : text);
  const points = Array.from(redacted);
  if (points.length <= maxChars && text.length <= REDACT_WINDOW) return redacted;
  return `${points.slice(0, maxChars).join('')}…`;
}
