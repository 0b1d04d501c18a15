import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GuardError } from '../errors.js';
import { SEVERITIES, type Severity } from '../model.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with our error shape: an unknown flag or a missing value is a usage error (exit 2). */
export function parseCommandArgs<T extends Options>(
  command: string,
  args: string[],
  options: T,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: boolean }>> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals, allowNegative: false });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new GuardError('usage', `${command}: ${message}`, { hint: `run "mcp-guard --help" for usage` });
  }
}

export function parseSeverity(flag: string, value: string | undefined, fallback: Severity): Severity {
  if (value === undefined) return fallback;
  if ((SEVERITIES as readonly string[]).includes(value)) return value as Severity;
  throw new GuardError('usage', `${flag} must be one of ${SEVERITIES.join(', ')} (got "${value}")`);
}

export function parsePositiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) <= 0) {
    throw new GuardError('usage', `${flag} must be a positive integer (got "${value}")`);
  }
  return Number(value);
}

export function parseChoice<C extends string>(flag: string, value: string | undefined, choices: readonly C[], fallback: C): C {
  if (value === undefined) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as C;
  throw new GuardError('usage', `${flag} must be one of ${choices.join(', ')} (got "${value}")`);
}
