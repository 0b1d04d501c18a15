import { escapeForDisplay, safeLines } from '../../findings/escape.js';
import { installInterruptCleanup } from '../../mcp/child-process.js';
import { compareToLock } from '../../lock/drift.js';
import { readLock } from '../../lock/lock-file.js';
import { driftToJson, renderDriftHuman } from '../../lock/render-diff.js';
import { shouldUseColor } from '../../reporters/index.js';
import { collectListings } from '../../scan/collect.js';
import { selectServers } from '../../scan/select.js';
import { GuardError } from '../../errors.js';
import { parseChoice, parseCommandArgs, parsePositiveInt } from '../args.js';
import { DEFAULT_LOCK_FILE, discoveryEnvFor, resolveFrom } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { DEFAULT_TIMEOUT_MS } from './scan.js';

/**
 * `mcp-guard diff`: what changed since the lock, field by field, for a reviewer. Exits like diff(1):
 * 0 nothing changed (or only informational changes), 1 blocking changes, 3 a server could not be listed.
 */
export async function diffCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('diff', args, {
    config: { type: 'string', multiple: true },
    lock: { type: 'string' },
    server: { type: 'string', multiple: true },
    format: { type: 'string' },
    timeout: { type: 'string' },
  });
  const format = parseChoice('--format', values.format, ['human', 'json'] as const, 'human');
  const timeoutMs = parsePositiveInt('--timeout', values.timeout, DEFAULT_TIMEOUT_MS);
  const lockPath = resolveFrom(io, values.lock ?? DEFAULT_LOCK_FILE);
  const lock = await readLock(lockPath);
  if (!lock) {
    throw new GuardError('lock-missing', `no lock at ${lockPath}`, { hint: 'run "mcp-guard lock" first' });
  }

  installInterruptCleanup();
  const { entries } = await selectServers({
    discoveryEnv: discoveryEnvFor(io),
    configPaths: (values.config ?? []).map((path) => resolveFrom(io, path)),
    serverNames: values.server ?? [],
  });
  const { snapshots, failures } = await collectListings(
    entries.filter((entry) => !entry.disabled),
    timeoutMs,
  );
  // Launch identity is compared too, as scan does (a changed command or package is worth reviewing).
  const drift = compareToLock(lock, snapshots, { entries: new Map(entries.map((entry) => [entry.name, entry])) });

  if (format === 'json') {
    io.stdout.write(
      `${JSON.stringify(
        {
          version: 1,
          lock: lockPath,
          drift: driftToJson(drift),
          failures: failures.map((failure) => ({ server: failure.server, code: failure.error.code, message: failure.error.message })),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    io.stdout.write(drift.length === 0 ? 'no changes since the lock\n' : renderDriftHuman(drift, { color: shouldUseColor(io.env, io.stdout.isTTY) }));
    for (const failure of failures) {
      io.stderr.write(`mcp-guard diff: ${escapeForDisplay(failure.server)}: could not list: ${safeLines(failure.error.message)}\n`);
    }
  }
  if (drift.some((item) => item.severity === 'blocking')) return EXIT.findings;
  return failures.length > 0 ? EXIT.incomplete : EXIT.ok;
}
