import type { DiscoveryEnv } from '../clients/discover.js';
import { createFinding, compareFindings, isAtLeast } from '../findings/finding.js';
import { escapeForDisplay } from '../findings/escape.js';
import { compareToLock } from '../lock/drift.js';
import { readLock, type LockFile } from '../lock/lock-file.js';
import type {
  DiscoveryResult,
  DriftItem,
  Finding,
  ListOutcome,
  PackageRef,
  ScanReport,
  ServerEntry,
  ServerReport,
  ServerSnapshot,
  Severity,
} from '../model.js';
import { SEVERITIES } from '../model.js';
import { analyzeSnapshots } from '../rules/engine.js';
import { applyIgnores, loadIgnoreFile, type IgnoreEntry } from '../rules/ignores.js';
import { checkSupplyChain, type SupplyCheckResult } from '../supply/check.js';
import { VERSION } from '../version.js';
import { GuardError } from '../errors.js';
import { LOCK_DRIFT, SERVER_UNREACHABLE, UNUSED_IGNORE } from './builtin-rules.js';
import { collectListings } from './collect.js';
import { selectServers } from './select.js';
import { readStaticListing } from './static-listing.js';
import { allRuleMetas } from './rule-catalog.js';

export interface ScanInput {
  discoveryEnv: DiscoveryEnv;
  /** Explicit --config files; when empty, every known client's configs are discovered. */
  configPaths: string[];
  lockPath: string;
  staticPath?: string;
  /** false = --no-connect: run only the checks that need no server process. */
  connect: boolean;
  offline: boolean;
  timeoutMs: number;
  /** --server NAME filters; empty = all. */
  serverNames: string[];
  /** Ignore file (.mcp-guard.yaml); undefined when there is none. */
  ignorePath?: string;
}

export interface ScanResult {
  discovery: DiscoveryResult;
  outcomes: ListOutcome[];
  snapshots: ServerSnapshot[];
  lock: LockFile | undefined;
  drift: DriftItem[];
  findings: Finding[];
  supply: SupplyCheckResult | undefined;
  notes: string[];
  /** True when something could not be checked: a server did not list, or the registry was unreachable. */
  incomplete: boolean;
  /** The --static listing read instead of connecting, if any. */
  staticPath?: string;
  /** The configured servers this run looked at (after --server filters). */
  entries: ServerEntry[];
}

/** The whole scan pipeline (design §2). Returns data; never prints, never exits. */
export async function runScan(input: ScanInput): Promise<ScanResult> {
  const notes: string[] = [];
  // Read the lock first: a lock that fails its schema is an error before any server is started.
  const lock = await readLock(input.lockPath);
  const ignores = await loadScanIgnores(input.ignorePath);

  // --static is hermetic: configs are read only when named explicitly.
  const { discovery, entries } =
    input.staticPath && input.configPaths.length === 0
      ? { discovery: { files: [], servers: [] } as DiscoveryResult, entries: [] as ServerEntry[] }
      : await selectServers({ ...input, allowUnknownNames: input.staticPath !== undefined });

  let outcomes: ListOutcome[] = [];
  let snapshots: ServerSnapshot[];
  if (input.staticPath) {
    snapshots = filterSnapshots(await readStaticListing(input.staticPath), input.serverNames);
  } else if (input.connect) {
    const toList = entries.filter((entry) => !entry.disabled);
    ({ outcomes, snapshots } = await collectListings(toList, input.timeoutMs));
    const disabled = entries.filter((entry) => entry.disabled).map((entry) => entry.name);
    if (disabled.length > 0) notes.push(`disabled in the client config, not connected: ${disabled.join(', ')}`);
  } else {
    snapshots = [];
    notes.push('--no-connect: servers were not started; definition and drift checks skipped');
  }

  // What the lister noticed (a declared list method that is missing, non-JSON stdout, a listing that kept
  // changing) is coverage the user must see.
  for (const snapshot of snapshots) notes.push(...snapshot.notes.map((note) => `${snapshot.server}: ${note}`));

  const findings: Finding[] = [];
  for (const outcome of outcomes) {
    if (outcome.ok) continue;
    findings.push(
      createFinding(SERVER_UNREACHABLE, {
        location: { server: outcome.server, configFile: configFileOf(entries, outcome.server) },
        message: `could not list: ${outcome.error.message}`,
        discriminator: outcome.error.code,
      }),
    );
  }

  findings.push(...analyzeSnapshots(snapshots).findings);

  const supply = await checkSupplyChain(entries, {
    offline: input.offline,
    ...(lock ? { lock: { sources: lockedSources(lock) } } : {}),
  });
  findings.push(...supply.findings);
  notes.push(...supply.notes);

  let drift: DriftItem[] = [];
  if (lock) {
    // "Removed" is reported only on a full, config-driven scan: a filtered, static or failed run does not
    // know whether a locked server still exists.
    const complete = input.serverNames.length === 0 && !input.staticPath && input.connect;
    drift = compareToLock(lock, snapshots, {
      entries: new Map(entries.map((entry) => [entry.name, entry])),
      ...(complete ? { configured: entries.map((entry) => entry.name) } : {}),
    });
    findings.push(...drift.map(driftFinding));
  } else if (snapshots.length > 0) {
    notes.push(`no lock at ${input.lockPath}: drift not checked (run "mcp-guard lock" to pin the current definitions)`);
  }

  // Ignores apply to every rule (definition, supply chain, drift, connection), once, at the end.
  const ignored = applyIgnores(findings, ignores, new Date(), new Set(allRuleMetas().keys()));
  const kept = ignored.findings;
  for (const ignore of [...ignored.unusedIgnores, ...ignored.expiredIgnores]) {
    const expired = ignored.expiredIgnores.includes(ignore);
    kept.push(
      createFinding(UNUSED_IGNORE, {
        location: { server: ignore.server ?? '', ...(ignore.tool ? { tool: ignore.tool } : {}), configFile: ignore.source.file },
        message: expired
          ? `ignore for ${ignore.rule} expired on ${ignore.expires} (${ignore.source.file}:${ignore.source.line ?? 1})`
          : `ignore for ${ignore.rule} matched no finding (${ignore.source.file}:${ignore.source.line ?? 1})`,
        discriminator: `${ignore.rule}:${ignore.source.line ?? 0}`,
      }),
    );
  }
  kept.sort(compareFindings);
  const incomplete = outcomes.some((outcome) => !outcome.ok) || supply.unreachable;
  return {
    discovery,
    outcomes,
    snapshots,
    lock,
    drift,
    findings: kept,
    supply,
    notes,
    incomplete,
    entries,
    ...(input.staticPath ? { staticPath: input.staticPath } : {}),
  };
}

/** Read the ignore file, if any, and refuse entries that could never do what the user means. */
export async function loadScanIgnores(path: string | undefined): Promise<IgnoreEntry[]> {
  return path ? checkIgnores(await loadIgnoreFile(path)) : [];
}

/** An ignore naming no rule would silently never match; drift is accepted by re-locking, not ignored. */
function checkIgnores(ignores: IgnoreEntry[]): IgnoreEntry[] {
  const known = allRuleMetas();
  for (const ignore of ignores) {
    const location = { file: ignore.source.file, ...(ignore.source.line ? { line: ignore.source.line } : {}) };
    if (ignore.rule === LOCK_DRIFT.id) {
      throw new GuardError('config-invalid', `${LOCK_DRIFT.id} cannot be ignored`, {
        location,
        hint: 'review the change with "mcp-guard diff" and accept it with "mcp-guard lock --server NAME"',
      });
    }
    if (!known.has(ignore.rule)) {
      throw new GuardError('config-invalid', `ignore names an unknown rule "${ignore.rule}"`, {
        location,
        hint: 'rule ids are listed in docs/rules/',
      });
    }
  }
  return ignores;
}

function filterSnapshots(snapshots: ServerSnapshot[], names: string[]): ServerSnapshot[] {
  return names.length === 0 ? snapshots : snapshots.filter((snapshot) => names.includes(snapshot.server));
}

function lockedSources(lock: LockFile) {
  return Object.fromEntries(Object.entries(lock.servers).map(([name, server]) => [name, server.source]));
}

function driftFinding(item: DriftItem): Finding {
  const entityLabel = item.entity === 'server' || item.entity === 'instructions' ? item.entity : `${item.entity} "${escapeForDisplay(item.name)}"`;
  const reasons = item.reasons.map((reason) => reason.detail).join('; ');
  const location = {
    server: item.server,
    ...(item.entity === 'tool' ? { tool: item.name } : {}),
    ...(item.entity === 'prompt' ? { prompt: item.name } : {}),
    ...(item.entity === 'resource' || item.entity === 'resourceTemplate' ? { resource: item.name } : {}),
  };
  return createFinding(LOCK_DRIFT, {
    location,
    severity: item.severity === 'blocking' ? LOCK_DRIFT.severity : 'info',
    message: `${entityLabel} ${item.change}${item.previousName ? ` (was "${escapeForDisplay(item.previousName)}")` : ''} since the lock${reasons ? `: ${reasons}` : ''}`,
    discriminator: `${item.entity}:${item.name}:${item.change}`,
  });
}

function configFileOf(entries: ServerEntry[], server: string): string | undefined {
  return entries.find((entry) => entry.name === server)?.sources[0]?.path;
}

/** Turn a scan result into the versioned report every reporter renders, with the exit code it implies. */
export function buildScanReport(result: ScanResult, failOn: Severity): ScanReport {
  const entries = result.entries;
  const outcomeByServer = new Map(result.outcomes.map((outcome) => [outcome.server, outcome]));
  const snapshotByServer = new Map(result.snapshots.map((snapshot) => [snapshot.server, snapshot]));
  const packages: Record<string, PackageRef> = result.supply?.packages ?? {};

  const servers: ServerReport[] = entries.map((entry) => {
    const outcome = outcomeByServer.get(entry.name);
    const snapshot = snapshotByServer.get(entry.name);
    const report: ServerReport = {
      name: entry.name,
      transport: entry.transport,
      sources: entry.sources,
      status: entry.disabled ? 'disabled' : snapshot ? (outcome ? 'listed' : 'static') : outcome ? 'failed' : 'not-connected',
    };
    if (outcome && !outcome.ok) report.error = outcome.error;
    if (outcome) report.durationMs = Math.round(outcome.durationMs);
    if (snapshot) {
      report.counts = countsOf(snapshot);
      report.serverInfo = snapshot.serverInfo;
    }
    const pkg = packages[entry.name];
    if (pkg) report.package = pkg;
    return report;
  });
  // Static listings may name servers no config defines.
  for (const snapshot of result.snapshots) {
    if (entries.some((entry) => entry.name === snapshot.server)) continue;
    servers.push({
      name: snapshot.server,
      transport: 'stdio',
      // The listing file is where these definitions came from (SARIF needs a physical location).
      sources: result.staticPath
        ? [{ client: 'generic', path: result.staticPath, scope: 'explicit', pointer: `servers.${snapshot.server}` }]
        : [],
      status: 'static',
      counts: countsOf(snapshot),
      serverInfo: snapshot.serverInfo,
    });
  }

  const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of result.findings) counts[finding.severity]++;
  const driftBlocking = result.drift.filter((item) => item.severity === 'blocking').length;
  const failingFindings = result.findings.some(
    (finding) => finding.category !== 'connection' && isAtLeast(finding.severity, failOn),
  );
  // Findings win over "incomplete": they are a definite result the user must act on either way.
  const exitCode = failingFindings || driftBlocking > 0 ? 1 : result.incomplete ? 3 : 0;

  return {
    version: 1,
    tool: { name: 'mcp-guard', version: VERSION },
    files: result.discovery.files,
    servers,
    findings: result.findings,
    drift: result.drift,
    notes: result.notes,
    summary: {
      servers: servers.length,
      serversListed: result.snapshots.length,
      serversFailed: result.outcomes.filter((outcome) => !outcome.ok).length,
      findings: counts,
      driftBlocking,
      driftInformational: result.drift.length - driftBlocking,
      exitCode,
    },
  };
}

function countsOf(snapshot: ServerSnapshot) {
  return {
    tools: snapshot.tools.length,
    prompts: snapshot.prompts.length,
    resources: snapshot.resources.length,
    resourceTemplates: snapshot.resourceTemplates.length,
  };
}
