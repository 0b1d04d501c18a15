// The whole CLI is run(argv, io) → exit code (house style: osv-scanner); tests pass their own io.

export interface OutputStream {
  write(chunk: string): unknown;
  /** Present on real terminals; reporters use it to decide on colour. */
  isTTY?: boolean;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin?: NodeJS.ReadableStream;
  env: Record<string, string | undefined>;
  cwd: string;
}

export type Command = (args: string[], io: CliIo) => Promise<number>;
