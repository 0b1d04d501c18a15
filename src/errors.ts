// Errors carry a `code`; src/cli/exit-codes.ts maps codes to exit codes, so analysis code never
// decides how the process ends (house style: pacote / npm cli).

export type GuardErrorCode =
  | 'usage'
  | 'config-parse'
  | 'config-invalid'
  | 'config-unreadable'
  | 'lock-invalid'
  | 'lock-unreadable'
  | 'lock-missing'
  | 'static-invalid'
  | 'policy-invalid'
  | 'rule-invalid'
  | 'server-unknown'
  | 'could-not-complete'
  | 'registry-unreachable';

export interface ErrorLocation {
  file: string;
  line?: number;
  column?: number;
}

export class GuardError extends Error {
  readonly code: GuardErrorCode;
  readonly location?: ErrorLocation;
  readonly hint?: string;

  constructor(
    code: GuardErrorCode,
    message: string,
    options: { location?: ErrorLocation; hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GuardError';
    this.code = code;
    if (options.location) this.location = options.location;
    if (options.hint) this.hint = options.hint;
  }
}

export function isGuardError(error: unknown): error is GuardError {
  return error instanceof GuardError;
}

/** 1-based line and column of a character offset, for error messages that point into a file. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
