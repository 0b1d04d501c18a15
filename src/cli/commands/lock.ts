import { escapeForDisplay, safeLines } from '../../findings/escape.js';
import { isAtLeast } from '../../findings/finding.js';
import { installInterruptCleanup } from '../../mcp/child-process.js';
import { selectServers } from '../../scan/select.js';
import { collectListings } from '../../scan/collect.js';
import { lockServer, readLock, updateLock, writeLockAtomic, type LockedServer } from '../../lock/lock-file.js';
import { compareServer } from '../../lock/drift.js';
import { analyzeSnapshots } from '../../rules/engine.js';
import { applyIgnores } from '../../rules/ignores.js';
import { allRuleMetas } from '../../scan/rule-catalog.js';
import { loadScanIgnores } from '../../scan/run-scan.js';
import { checkSupplyChain } from '../../supply/check.js';
import type { Finding } from '../../model.js';
import { parseCommandArgs, parsePositiveInt } from '../args.js';
import { DEFAULT_LOCK_FILE, defaultIgnoreFile, discoveryEnvFor, resolveFrom } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { DEFAULT_TIMEOUT_MS } from './scan.js';

/**
 * `mcp-guard lock`: list the configured servers and pin what they expose. A server whose current
 * definitions already carry high-severity findings is not pinned unless --force: pinning on first contact
 * even when that contact is poisoned is how other pinning tools fail (facts.md).
 */
export async function lockCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('lock', args, {
    config: { type: 'string', multiple: true },
    lock: { type: 'string' },
    server: { type: 'string', multiple: true },
    offline: { type: 'boolean' },
    timeout: { type: 'string' },
    force: { type: 'boolean' },
    'ignore-file': { type: 'string' },
  });
  const lockPath = resolveFrom(io, values.lock ?? DEFAULT_LOCK_FILE);
  const timeoutMs = parsePositiveInt('--timeout', values.timeout, DEFAULT_TIMEOUT_MS);
  // An invalid existing lock is an error (exit 2) and stays untouched.
  const existing = await readLock(lockPath);
  // Reviewed ignores (with their reasons) count here too: an ignored finding does not block pinning.
  const ignores = await loadScanIgnores(values['ignore-file'] ? resolveFrom(io, values['ignore-file']) : defaultIgnoreFile(io));

  installInterruptCleanup();
  const { discovery, entries } = await selectServers({
    discoveryEnv: discoveryEnvFor(io),
    configPaths: (values.config ?? []).map((path) => resolveFrom(io, path)),
    serverNames: values.server ?? [],
  });
  const enabled = entries.filter((entry) => !entry.disabled);
  if (enabled.length === 0) {
    io.stderr.write(`mcp-guard lock: no servers to lock (read ${discovery.files.filter((f) => f.status !== 'not-found').length} config file(s))\n`);
    return EXIT.usage;
  }

  const { snapshots, failures } = await collectListings(enabled, timeoutMs);
  if (failures.length > 0) {
    // Nothing is written when any server could not be listed: a partial lock would silently drop pins.
    for (const failure of failures) {
      io.stderr.write(`mcp-guard lock: ${escapeForDisplay(failure.server)}: could not list: ${safeLines(failure.error.message)}\n`);
    }
    io.stderr.write(`mcp-guard lock: nothing written to ${lockPath}\n`);
    return EXIT.incomplete;
  }

  const supply = await checkSupplyChain(enabled, { offline: values.offline ?? false });
  if (supply.unreachable) {
    io.stderr.write('mcp-guard lock: the registry is unreachable; use --offline to lock without package integrity\n');
    return EXIT.incomplete;
  }
  const { findings } = applyIgnores(
    [...analyzeSnapshots(snapshots).findings, ...supply.findings],
    ignores,
    new Date(),
    new Set(allRuleMetas().keys()),
  );
  const blockingFindings = new Map<string, Finding[]>();
  for (const finding of findings) {
    if (!isAtLeast(finding.severity, 'high')) continue;
    const list = blockingFindings.get(finding.location.server) ?? [];
    list.push(finding);
    blockingFindings.set(finding.location.server, list);
  }

  const locked: Record<string, LockedServer> = {};
  const refused: string[] = [];
  for (const snapshot of snapshots) {
    const entry = enabled.find((candidate) => candidate.name === snapshot.server)!;
    const serious = blockingFindings.get(snapshot.server) ?? [];
    if (serious.length > 0 && !values.force) {
      refused.push(snapshot.server);
      io.stderr.write(
        `mcp-guard lock: not pinning "${escapeForDisplay(snapshot.server)}": ${serious.length} finding(s) at high or above ` +
          `(${[...new Set(serious.map((finding) => finding.ruleId))].join(', ')}); review with "mcp-guard scan", or pin anyway with --force\n`,
      );
      continue;
    }
    locked[snapshot.server] = lockServer(entry, snapshot, supply.resolved[snapshot.server]);
  }

  // Without --server the lock mirrors the configs: servers no longer configured are dropped. Refused
  // servers keep whatever was reviewed before.
  const filtered = values.server !== undefined && values.server.length > 0;
  // Disabled servers are still configured: their reviewed pins stay for when they are enabled again.
  const keep = new Set([...refused, ...entries.filter((entry) => entry.disabled).map((entry) => entry.name)]);
  const base =
    existing && !filtered
      ? { ...existing, servers: Object.fromEntries(Object.entries(existing.servers).filter(([name]) => keep.has(name))) }
      : existing;
  const next = updateLock(base, locked, Object.keys(locked));
  await writeLockAtomic(lockPath, next);

  for (const snapshot of snapshots) {
    if (!locked[snapshot.server]) continue;
    const before = existing?.servers[snapshot.server];
    const changes = before ? compareServer(snapshot.server, before, snapshot).length : undefined;
    const what = before === undefined ? 'new' : changes === 0 ? 'unchanged' : `${changes} change(s) accepted`;
    io.stdout.write(
      `locked ${escapeForDisplay(snapshot.server)}: ${snapshot.tools.length} tools, ${snapshot.prompts.length} prompts, ` +
        `${snapshot.resources.length} resources, ${snapshot.resourceTemplates.length} templates (${what})\n`,
    );
  }
  if (values.offline) io.stdout.write('offline: package integrity and provenance were not recorded\n');
  io.stdout.write(`wrote ${lockPath}\n`);
  return refused.length > 0 ? EXIT.findings : EXIT.ok;
}
