// The versioned JSON contract (design §6) that users' CI scripts parse. Every object is rebuilt field by
// field so the key order is fixed by this file, not by whoever assembled the report, and internal fields
// added to the model later do not leak into the contract unannounced.
import { redact } from '../findings/redact.js';
import type {
  ConfigFileReport,
  DriftItem,
  DriftReason,
  Finding,
  JsonValue,
  PackageRef,
  ScanReport,
  ScanSummary,
  ServerReport,
} from '../model.js';
import { isUnsafeCodePoint, OUTSIDE_PRINTABLE_ASCII, sortFindings } from './finding-view.js';
import type { Reporter } from './reporter.js';

export const JSON_REPORT_VERSION = 1;

export const jsonReporter: Reporter = (report) => {
  const body = {
    version: JSON_REPORT_VERSION,
    tool: { name: report.tool.name, version: report.tool.version },
    files: report.files.map(fileJson),
    servers: report.servers.map(serverJson),
    findings: sortFindings(report.findings).map(findingJson),
    drift: sortDrift(report.drift).map(driftJson),
    notes: report.notes.map((note) => redact(note)),
    summary: summaryJson(report.summary),
  };
  return `${escapeInvisibles(JSON.stringify(body, null, 2))}\n`;
};

function fileJson(file: ConfigFileReport): object {
  return { client: file.client, path: file.path, scope: file.scope, status: file.status, serverCount: file.serverCount };
}

function serverJson(server: ServerReport): object {
  return {
    name: server.name,
    transport: server.transport,
    status: server.status,
    sources: server.sources.map((s) => ({ client: s.client, path: s.path, scope: s.scope, pointer: s.pointer })),
    // Failure messages can quote a server's stderr, which may print its own credentials.
    error: server.error && { code: server.error.code, message: redact(server.error.message) },
    counts: server.counts && {
      tools: server.counts.tools,
      prompts: server.counts.prompts,
      resources: server.counts.resources,
      resourceTemplates: server.counts.resourceTemplates,
    },
    serverInfo: server.serverInfo && sortKeysDeep(server.serverInfo),
    package: server.package && packageJson(server.package),
    durationMs: server.durationMs,
  };
}

function packageJson(pkg: PackageRef): object {
  return {
    ecosystem: pkg.ecosystem,
    launcher: pkg.launcher,
    name: pkg.name === undefined ? undefined : redact(pkg.name),
    spec: pkg.spec === undefined ? undefined : redact(pkg.spec),
    exactVersion: pkg.exactVersion,
    digest: pkg.digest,
    registry: pkg.registry === undefined ? undefined : redact(pkg.registry),
    path: pkg.path === undefined ? undefined : redact(pkg.path),
  };
}

function findingJson(finding: Finding): object {
  const l = finding.location;
  return {
    ruleId: finding.ruleId,
    category: finding.category,
    severity: finding.severity,
    confidence: finding.confidence,
    message: finding.message,
    location: {
      server: l.server,
      tool: l.tool,
      prompt: l.prompt,
      resource: l.resource,
      package: l.package,
      field: l.field,
      configFile: l.configFile,
    },
    fingerprint: finding.fingerprint,
    evidence: finding.evidence,
    tip: finding.tip,
    docsUrl: finding.docsUrl,
  };
}

const ENTITY_ORDER = ['server', 'instructions', 'tool', 'prompt', 'resource', 'resourceTemplate'];

// Servers are listed concurrently, so the order drift arrives in is not something to promise.
function sortDrift(items: readonly DriftItem[]): DriftItem[] {
  return [...items].sort(
    (a, b) =>
      a.server.localeCompare(b.server) ||
      ENTITY_ORDER.indexOf(a.entity) - ENTITY_ORDER.indexOf(b.entity) ||
      a.name.localeCompare(b.name),
  );
}

function driftJson(item: DriftItem): object {
  return {
    server: item.server,
    entity: item.entity,
    name: item.name,
    change: item.change,
    severity: item.severity,
    previousName: item.previousName,
    reasons: item.reasons.map(reasonJson),
  };
}

function reasonJson(reason: DriftReason): object {
  return {
    field: reason.field,
    kind: reason.kind,
    blocking: reason.blocking,
    detail: reason.detail,
    before: reason.before === undefined ? undefined : sortKeysDeep(reason.before),
    after: reason.after === undefined ? undefined : sortKeysDeep(reason.after),
  };
}

function summaryJson(summary: ScanSummary): object {
  const f = summary.findings;
  return {
    servers: summary.servers,
    serversListed: summary.serversListed,
    serversFailed: summary.serversFailed,
    findings: { critical: f.critical, high: f.high, medium: f.medium, low: f.low, info: f.info },
    driftBlocking: summary.driftBlocking,
    driftInformational: summary.driftInformational,
    exitCode: summary.exitCode,
  };
}

/** Server-supplied objects carry the server's key order; sorted, the output is the same on every run. */
function sortKeysDeep(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeysDeep(value[key]!);
  return out;
}

/**
 * JSON.stringify leaves bidi controls, zero-width and tag characters raw, so `cat report.json` could still
 * reorder or hide text on a terminal. Writing them as `\uXXXX` escapes keeps the data identical for parsers.
 * Such characters can only occur inside JSON strings, where `\u` escapes are always valid.
 */
function escapeInvisibles(json: string): string {
  return json.replace(OUTSIDE_PRINTABLE_ASCII, (ch) => {
    const cp = ch.codePointAt(0)!;
    // Below 0x20 JSON.stringify has escaped already; what is left there is JSON's own whitespace.
    if (cp < 0x20 || !isUnsafeCodePoint(cp)) return ch;
    let escaped = '';
    for (let i = 0; i < ch.length; i++) escaped += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return escaped;
  });
}
