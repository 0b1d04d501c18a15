import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isGuardError } from '../errors.js';
import { safeLines } from '../findings/escape.js';
import { redact } from '../findings/redact.js';
import { EXIT, exitCodeForError } from './exit-codes.js';
import type { CliIo, Command } from './io.js';
import { VERSION } from '../version.js';

// Commands are imported lazily so `mcp-guard --version` never pays for the SDK or the registry client.
const COMMANDS: Record<string, () => Promise<Command>> = {
  scan: async () => (await import('./commands/scan.js')).scanCommand,
  lock: async () => (await import('./commands/lock.js')).lockCommand,
  diff: async () => (await import('./commands/diff.js')).diffCommand,
  proxy: async () => (await import('./commands/proxy.js')).proxyCommand,
  policy: async () => (await import('./commands/policy.js')).policyCommand,
  audit: async () => (await import('./commands/audit.js')).auditCommand,
  wrap: async () => (await import('./commands/wrap.js')).wrapCommand,
  unwrap: async () => (await import('./commands/wrap.js')).unwrapCommand,
  approvals: async () => (await import('./commands/approvals.js')).approvalsCommand,
  approve: async () => (await import('./commands/approvals.js')).approveCommand,
  deny: async () => (await import('./commands/approvals.js')).denyCommand,
};

const USAGE = `mcp-guard ${VERSION} — security scanner, lockfile and enforcing proxy for MCP servers

Usage:
  mcp-guard scan  [--config FILE]... [--lock FILE] [--format human|json|sarif|github] [--fail-on SEVERITY]
                  [--offline] [--no-connect] [--static FILE] [--timeout MS] [--server NAME]... [--ignore-file FILE]
  mcp-guard lock  [--config FILE]... [--lock FILE] [--server NAME]... [--offline] [--timeout MS] [--force] [--ignore-file FILE]
  mcp-guard diff  [--config FILE]... [--lock FILE] [--server NAME]... [--format human|json] [--timeout MS]
  mcp-guard proxy [--lock FILE] [--name NAME] [--policy FILE] [--audit FILE] [--audit-values] [--approval-timeout MS]
                  [--learn] [--report FILE] [--recheck-interval MS] [--hold-timeout MS] -- COMMAND [ARG]...
  mcp-guard proxy [same options] --url URL | --url-env VAR [--header NAME=VALUE]... [--header-env NAME=VAR]...
  mcp-guard policy check FILE [--lock FILE]
  mcp-guard approvals [--json] | approve ID | deny ID
  mcp-guard audit verify [FILE] [--no-anchor]
  mcp-guard wrap   [--client ID | --config FILE] [--lock FILE] [--policy FILE] [--server NAME]... [--dry-run]
  mcp-guard unwrap [--client ID | --config FILE] [--server NAME]... [--dry-run]

Exit codes: 0 clean · 1 findings at/above --fail-on or blocking drift · 2 usage/config/lock error · 3 could not complete
`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`mcp-guard: unknown command "${redact(name)}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    const command = await load();
    return await command(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}

/** The one mapper from errors to message, hint and exit code (house style: npm cli). */
export function reportError(error: unknown, io: CliIo): number {
  if (isGuardError(error)) {
    const where = error.location
      ? `${error.location.file}${error.location.line ? `:${error.location.line}` : ''}${error.location.column ? `:${error.location.column}` : ''}: `
      : '';
    // Messages may quote what a server or a config file sent (names, error text): escape, then redact.
    io.stderr.write(`${redact(safeLines(`mcp-guard: ${where}${error.message}`))}\n`);
    if (error.hint) io.stderr.write(`${redact(safeLines(`  hint: ${error.hint}`))}\n`);
    return exitCodeForError(error.code);
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(redact(`mcp-guard: internal error: ${message}\n`));
  return EXIT.incomplete;
}

export function main(): void {
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
  run(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.exitCode = reportError(error, io);
    },
  );
}

export function isMainModule(metaUrl: string): boolean {
  try {
    return realpathSync(fileURLToPath(metaUrl)) === realpathSync(process.argv[1] ?? '');
  } catch {
    return false;
  }
}
