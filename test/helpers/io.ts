import type { CliIo } from '../../src/cli/io.js';

export interface CapturedIo extends CliIo {
  out(): string;
  err(): string;
}

/** A CliIo that records what the CLI writes; env defaults to a colour-free copy of the process env. */
export function captureIo(overrides: Partial<Pick<CliIo, 'env' | 'cwd'>> = {}): CapturedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout: { write: (chunk: string) => stdout.push(chunk), isTTY: false },
    stderr: { write: (chunk: string) => stderr.push(chunk), isTTY: false },
    env: overrides.env ?? { ...process.env, NO_COLOR: '1' },
    cwd: overrides.cwd ?? process.cwd(),
    out: () => stdout.join(''),
    err: () => stderr.join(''),
  };
}
