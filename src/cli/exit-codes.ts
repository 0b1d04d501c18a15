import type { GuardErrorCode } from '../errors.js';

// The one place exit codes are chosen (design §6; README table).
export const EXIT = {
  /** Clean: nothing at or above --fail-on, no blocking drift. */
  ok: 0,
  /** Findings at or above --fail-on, or blocking drift against the lock. */
  findings: 1,
  /** Usage, configuration, policy or lock-schema error. */
  usage: 2,
  /** Could not complete: a server failed to start or list, registry unreachable while online. */
  incomplete: 3,
} as const;

export function exitCodeForError(code: GuardErrorCode): number {
  switch (code) {
    case 'could-not-complete':
    case 'registry-unreachable':
      return EXIT.incomplete;
    default:
      return EXIT.usage;
  }
}
