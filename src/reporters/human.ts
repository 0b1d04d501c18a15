// The terminal report. Everything a server or a config file controls (names, messages, evidence, error
// text) goes through safeText/safeProse: a malicious server must never be able to move the cursor,
// clear the screen or reorder what the reader sees.
import { Chalk, type ChalkInstance } from 'chalk';
import { redact } from '../findings/redact.js';
import { docsUrlFor, severityRank } from '../findings/finding.js';
import type {
  ConfigFileReport,
  ConfigSource,
  DriftItem,
  Finding,
  PackageRef,
  ScanReport,
  ServerReport,
  Severity,
} from '../model.js';
import { SEVERITIES } from '../model.js';
import { entityOf, ruleTitle, safeProse, safeText, serverLabel, sortFindings, type EntityRef } from './finding-view.js';
import { displayPath } from './paths.js';
import type { Reporter, ReporterContext } from './reporter.js';

interface Style {
  c: ChalkInstance;
  ctx: ReporterContext;
}

export const humanReporter: Reporter = (report, ctx) => {
  // Level 1 (16 colours) whatever the terminal offers, so the same report renders the same bytes.
  const style: Style = { c: new Chalk({ level: ctx.color ? 1 : 0 }), ctx };
  const sections = [
    `${style.c.bold(`${safeText(report.tool.name)} ${safeText(report.tool.version)}`)}`,
    renderFiles(report, style),
    renderServers(report.servers, style),
    renderFindings(report, style),
    renderDrift(report.drift, style),
    renderNotes(report.notes, style),
    renderSummary(report, style),
  ];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
};

// ── Config files ────────────────────────────────────────────────────────────

function renderFiles(report: ScanReport, { c, ctx }: Style): string {
  const files = report.files;
  if (files.length === 0 && report.servers.some((s) => s.status === 'static')) {
    return `${c.bold('Config files')}\n  none read: servers come from a saved listing (--static)`;
  }
  const present = files.filter((f) => f.status !== 'not-found');
  const missing = files.filter((f) => f.status === 'not-found');
  const lines = [c.bold('Config files')];
  if (present.length === 0) {
    // Peers print "clean" when they simply looked in the wrong place; say plainly that nothing was read.
    lines.push(
      `  ${c.yellow('No MCP config file was found')}${missing.length > 0 ? `; looked in ${missing.length} location${plural(missing.length)}:` : '.'}`,
    );
    for (const file of missing) lines.push(`    ${c.dim('-')} ${fileLabel(file, ctx)}  ${c.dim(`(${file.client}, ${file.scope})`)}`);
    return lines.join('\n');
  }
  for (const file of present) {
    const status = file.status === 'read' ? c.green('read      ') : c.dim('no servers');
    const count = file.status === 'read' ? `, ${counted(file.serverCount, 'server')}` : '';
    lines.push(`  ${status}  ${fileLabel(file, ctx)}  ${c.dim(`(${file.client}, ${file.scope}${count})`)}`);
  }
  if (missing.length > 0) {
    lines.push(c.dim(`  ${missing.length} other known location${plural(missing.length)} checked: not present`));
  }
  return lines.join('\n');
}

function fileLabel(file: ConfigFileReport, ctx: ReporterContext): string {
  return safeProse(displayPath(file.path, ctx.cwd));
}

// ── Servers ─────────────────────────────────────────────────────────────────

function renderServers(servers: readonly ServerReport[], style: Style): string {
  const { c } = style;
  if (servers.length === 0) return `${c.bold('Servers')}\n  ${c.yellow('No MCP servers configured: nothing was scanned.')}`;
  const lines = [c.bold(`Servers (${servers.length})`)];
  for (const server of servers) {
    lines.push(`  ${statusMark(server, c)} ${c.bold(safeText(server.name))}  ${c.dim(server.transport)}  ${statusText(server, c)}`);
    if (server.package) lines.push(`      ${c.dim('runs')} ${packageText(server.package)}`);
    for (const source of server.sources) lines.push(`      ${c.dim('from')} ${sourceText(source, style.ctx)}`);
  }
  return lines.join('\n');
}

function statusMark(server: ServerReport, c: ChalkInstance): string {
  switch (server.status) {
    case 'listed':
    case 'static':
      return c.green('✔');
    case 'failed':
      return c.red('✖');
    case 'not-connected':
    case 'disabled':
      return c.dim('○');
  }
}

function statusText(server: ServerReport, c: ChalkInstance): string {
  const duration = server.durationMs === undefined ? '' : c.dim(`  (${Math.round(server.durationMs)} ms)`);
  switch (server.status) {
    case 'listed':
      return `listed ${countsText(server)}${duration}`;
    case 'static':
      return `static listing ${countsText(server)}`;
    case 'failed': {
      const reason = server.error ? `${server.error.code}: ${safeProse(redact(server.error.message))}` : 'unknown reason';
      return `${c.red('could not list')}: ${reason}${duration}`;
    }
    case 'not-connected':
      return c.yellow('not connected: definitions not checked');
    case 'disabled':
      return c.dim('disabled in the client config: not connected');
  }
}

function countsText(server: ServerReport): string {
  const n = server.counts;
  if (!n) return '';
  const parts = [
    counted(n.tools, 'tool'),
    counted(n.prompts, 'prompt'),
    counted(n.resources, 'resource'),
    counted(n.resourceTemplates, 'resource template'),
  ];
  return parts.join(', ');
}

function packageText(pkg: PackageRef): string {
  const what = pkg.name ?? pkg.path ?? 'an unrecognised command';
  // Images are written name:tag@digest; packages name@spec.
  const version =
    pkg.ecosystem === 'docker'
      ? `${pkg.spec ? `:${pkg.spec}` : ''}${pkg.digest ? `@${pkg.digest}` : ''}`
      : pkg.spec
        ? `@${pkg.spec}`
        : '';
  const pinned = pkg.exactVersion || pkg.digest || pkg.ecosystem === 'local' || pkg.ecosystem === 'unknown' ? '' : ', no exact version';
  return safeProse(redact(`${what}${version} via ${pkg.launcher} (${pkg.ecosystem}${pinned})`));
}

function sourceText(source: ConfigSource, ctx: ReporterContext): string {
  return `${source.client} · ${source.scope} · ${safeProse(displayPath(source.path, ctx.cwd))} › ${safeProse(source.pointer)}`;
}

// ── Findings ────────────────────────────────────────────────────────────────

interface EntityGroup {
  entity: EntityRef;
  findings: Finding[];
}

interface ServerGroup {
  server: string;
  entities: EntityGroup[];
}

function renderFindings(report: ScanReport, style: Style): string {
  const { c } = style;
  // Drift the CLI turned into findings is shown once, with its reasons, in the drift section.
  const shownInDrift = new Set(report.findings.filter((f) => isCoveredByDrift(f, report.drift)));
  const findings = report.findings.filter((f) => !shownInDrift.has(f));
  const heading = c.bold(`Findings (${findings.length})`);
  const footer = shownInDrift.size > 0 ? [c.dim(`  ${counted(shownInDrift.size, 'drift finding')} shown under Drift below`)] : [];
  if (findings.length === 0) return [heading, `  ${c.green('none')}`, ...footer].join('\n');
  const lines = [heading];
  for (const group of groupFindings(findings)) {
    lines.push(`  ${c.bold(serverLabel(group.server))}`);
    for (const entity of group.entities) {
      lines.push(`    ${entityLabel(entity.entity, c)}`);
      for (const finding of entity.findings) lines.push(...findingLines(finding, style));
    }
  }
  lines.push(...footer);
  return lines.join('\n');
}

function isCoveredByDrift(finding: Finding, drift: readonly DriftItem[]): boolean {
  if (finding.category !== 'drift') return false;
  const name = finding.location.tool ?? finding.location.prompt ?? finding.location.resource ?? '';
  return drift.some((item) => item.server === finding.location.server && item.name === name);
}

/** Servers and entities ordered by their most severe finding, then by name, so the worst comes first. */
function groupFindings(findings: readonly Finding[]): ServerGroup[] {
  const byServer = new Map<string, Map<string, EntityGroup>>();
  for (const finding of sortFindings(findings)) {
    const entity = entityOf(finding.location);
    const key = `${entity.kind}\u0000${entity.name}`;
    let entities = byServer.get(finding.location.server);
    if (!entities) byServer.set(finding.location.server, (entities = new Map()));
    let group = entities.get(key);
    if (!group) entities.set(key, (group = { entity, findings: [] }));
    group.findings.push(finding);
  }
  // Findings went in most severe first, so a group's first finding is its worst, and after sorting the
  // entities a server's first entity holds its worst finding.
  const worst = (group: EntityGroup): number => severityRank(group.findings[0]!.severity);
  const groups = [...byServer].map(([server, entities]) => ({
    server,
    entities: [...entities.values()].sort(
      (a, b) =>
        worst(b) - worst(a) || a.entity.kind.localeCompare(b.entity.kind) || a.entity.name.localeCompare(b.entity.name),
    ),
  }));
  const serverWorst = (g: ServerGroup): number => worst(g.entities[0]!);
  return groups.sort((a, b) => serverWorst(b) - serverWorst(a) || a.server.localeCompare(b.server));
}

function entityLabel(entity: EntityRef, c: ChalkInstance): string {
  return entity.kind === 'server' ? c.dim('server') : `${c.dim(entity.kind)} ${safeText(entity.name)}`;
}

function findingLines(finding: Finding, { c, ctx }: Style): string[] {
  const title = ruleTitle(ctx.rules, finding.ruleId);
  const titleText = title === finding.ruleId ? '' : c.dim(` · ${safeProse(title)}`);
  const lines = [
    `      ${severityLabel(finding.severity, c)} ${c.bold(safeText(finding.ruleId))}${titleText}  ${c.dim(`confidence ${finding.confidence}`)}`,
    `        ${safeProse(finding.message)}`,
  ];
  if (finding.location.field) lines.push(`        ${c.dim('at')} ${safeText(finding.location.field)}`);
  if (finding.evidence !== undefined) lines.push(`        ${c.dim('evidence')} ${c.yellow(`“${safeProse(finding.evidence)}”`)}`);
  const tip = finding.tip ?? ctx.rules.get(finding.ruleId)?.tip;
  if (tip) lines.push(`        ${c.dim('fix')} ${safeProse(tip)}`);
  lines.push(`        ${c.dim('docs')} ${c.underline(safeProse(finding.docsUrl ?? docsUrlFor(finding.ruleId)))}`);
  return lines;
}

const SEVERITY_WIDTH = Math.max(...SEVERITIES.map((s) => s.length));

function severityLabel(severity: Severity, c: ChalkInstance): string {
  const text = severity.toUpperCase().padEnd(SEVERITY_WIDTH);
  switch (severity) {
    case 'critical':
      return c.bold.red(text);
    case 'high':
      return c.red(text);
    case 'medium':
      return c.yellow(text);
    case 'low':
      return c.cyan(text);
    case 'info':
      return c.dim(text);
  }
}

// ── Drift ───────────────────────────────────────────────────────────────────

function renderDrift(drift: readonly DriftItem[], { c }: Style): string {
  if (drift.length === 0) return '';
  const blocking = drift.filter((d) => d.severity === 'blocking');
  const informational = drift.filter((d) => d.severity === 'informational');
  const lines = [c.bold(`Drift against the lock (${blocking.length} blocking, ${informational.length} informational)`)];
  for (const item of [...blocking, ...informational]) {
    const label = item.severity === 'blocking' ? c.red('BLOCKING') : c.dim('info    ');
    const renamed = item.previousName !== undefined ? ` (was ${safeText(item.previousName)})` : '';
    lines.push(`  ${label} ${c.bold(safeText(item.server))}  ${driftEntityLabel(item)}${renamed}  ${item.change}`);
    for (const reason of item.reasons) {
      const mark = reason.blocking ? c.red('!') : c.dim('·');
      const field = reason.field ? `${safeText(reason.field)}: ` : '';
      lines.push(`      ${mark} ${field}${safeText(reason.kind)}${reason.detail ? ` — ${safeProse(reason.detail)}` : ''}`);
    }
  }
  const blockedServers = [...new Set(blocking.map((d) => d.server))];
  for (const server of blockedServers) {
    lines.push(c.dim(`  review with: mcp-guard diff --server ${safeText(server)}, then accept with: mcp-guard lock --server ${safeText(server)}`));
  }
  return lines.join('\n');
}

function driftEntityLabel(item: DriftItem): string {
  switch (item.entity) {
    case 'server':
      return 'server';
    case 'instructions':
      return 'instructions';
    case 'resourceTemplate':
      return `resource template ${safeText(item.name)}`;
    default:
      return `${item.entity} ${safeText(item.name)}`;
  }
}

// ── Notes and summary ───────────────────────────────────────────────────────

function renderNotes(notes: readonly string[], { c }: Style): string {
  if (notes.length === 0) return '';
  return [c.bold('Notes'), ...notes.map((note) => `  • ${safeProse(redact(note))}`)].join('\n');
}

function renderSummary(report: ScanReport, { c }: Style): string {
  const s = report.summary;
  const notListed = s.servers - s.serversListed - s.serversFailed;
  const serverPart = `${counted(s.servers, 'server')} (${s.serversListed} listed, ${s.serversFailed} failed${notListed > 0 ? `, ${notListed} not connected` : ''})`;
  const total = SEVERITIES.reduce((sum, sev) => sum + s.findings[sev], 0);
  const bySeverity = [...SEVERITIES].reverse().filter((sev) => s.findings[sev] > 0).map((sev) => `${s.findings[sev]} ${sev}`);
  const findingPart = `${counted(total, 'finding')}${bySeverity.length > 0 ? ` (${bySeverity.join(', ')})` : ''}`;
  const driftPart = `drift: ${s.driftBlocking} blocking, ${s.driftInformational} informational`;
  return `${c.bold('Summary')}  ${verdict(report, c)}  ${serverPart} · ${findingPart} · ${driftPart}`;
}

function verdict(report: ScanReport, c: ChalkInstance): string {
  // A scan that read nothing is never "clean": that is the false comfort peers give.
  if (report.summary.servers === 0) return c.yellow('NOTHING SCANNED');
  switch (report.summary.exitCode) {
    case 0: {
      // A pass that skipped servers must say so, or it reads as "all clear" for tools nobody looked at.
      const unchecked = report.servers.filter((s) => s.status !== 'listed' && s.status !== 'static').length;
      return unchecked === 0 ? c.green('PASS') : `${c.green('PASS')} ${c.yellow(`(${counted(unchecked, 'server')} not listed: tools not checked)`)}`;
    }
    case 1:
      return c.red('FAIL');
    case 3:
      return c.yellow('INCOMPLETE');
    default:
      return c.red('ERROR');
  }
}

function counted(n: number, noun: string): string {
  return `${n} ${noun}${plural(n)}`;
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
