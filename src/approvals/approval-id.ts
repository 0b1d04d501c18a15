// Approval ids are what the user types into `mcp-guard approve ID`: short enough to type, random enough
// that nobody can guess a pending one (50 bits from the OS CSPRNG), and from an alphabet without
// look-alikes (Crockford's base32: no i, l, o, u) so reading one off a terminal is unambiguous.

import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
export const APPROVAL_ID_LENGTH = 10;
const ID_SHAPE = /^[0-9a-hjkmnp-tv-z]{10}$/;

export function newApprovalId(): string {
  // 32 divides 256, so taking each byte modulo 32 keeps every character uniformly likely.
  const bytes = randomBytes(APPROVAL_ID_LENGTH);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % 32];
  return id;
}

/**
 * The canonical form of what a user typed, or undefined when it cannot be an id. Case is ignored and
 * the look-alikes Crockford folds (i, l → 1; o → 0) are accepted. Nothing that is not an id ever
 * reaches a file name, so `approve ../../x` cannot point outside the approvals directory.
 */
export function normalizeApprovalId(text: string): string | undefined {
  const folded = text.trim().toLowerCase().replace(/[il]/g, '1').replace(/o/g, '0');
  return ID_SHAPE.test(folded) ? folded : undefined;
}
