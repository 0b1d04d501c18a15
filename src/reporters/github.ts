// GitHub Actions workflow commands: one annotation per finding, most severe first. A server controls much of this text, so it is made
// display-safe and then escaped by the workflow-command rules: it can never end the command early or
// start a new one such as `::add-mask::` or `::stop-commands::`.
import { docsUrlFor } from '../findings/finding.js';
import { redact } from '../findings/redact.js';
import type { Finding, ScanReport, Severity } from '../model.js';
import { SEVERITIES } from '../model.js';
import { configFileFor, entityOf, ruleTitle, safeProse, safeText, serverLabel, severityTier, sortFindings } from './finding-view.js';
import { relativeToCwd } from './paths.js';
import type { Reporter, ReporterContext } from './reporter.js';

export type AnnotationCommand = 'error' | 'warning' | 'notice';

export function annotationCommand(severity: Severity): AnnotationCommand {
  const tier = severityTier(severity);
  return tier === 'info' ? 'notice' : tier;
}

/** Escaping for a command's message (actions/toolkit `escapeData`). */
export function escapeWorkflowData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping for a command's `key=value` properties (actions/toolkit `escapeProperty`). */
export function escapeWorkflowProperty(text: string): string {
  return escapeWorkflowData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function workflowCommand(command: string, properties: Record<string, string | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeWorkflowProperty(value)}`)
    .join(',');
  return `::${command}${props ? ` ${props}` : ''}::${escapeWorkflowData(message)}`;
}

/**
 * GitHub turns only the first 10 error, 10 warning and 10 notice commands of a step into annotations
 * (actions/toolkit docs/problem-matchers.md); the rest stay in the log only.
 */
export const ANNOTATIONS_PER_KIND = 10;

export const githubReporter: Reporter = (report, ctx) => {
  const lines: string[] = [];
  // Coverage warnings come first so that they are never the annotations GitHub drops.
  if (report.summary.servers === 0) {
    lines.push(workflowCommand('warning', { title: 'mcp-guard' }, 'No MCP servers were found: nothing was scanned.'));
  }
  for (const note of report.notes) lines.push(workflowCommand('notice', { title: 'mcp-guard note' }, safeProse(redact(note))));
  const findings = sortFindings(report.findings);
  lines.push(...findings.map((finding) => findingCommand(finding, report, ctx)));
  lines.push(escapeWorkflowData(summaryLine(report)));
  const hidden = hiddenAnnotations(lines);
  if (hidden > 0) {
    lines.push(
      `mcp-guard: GitHub annotates at most ${ANNOTATIONS_PER_KIND} errors, warnings and notices per step; ${hidden} more are only in this log (upload --format sarif to code scanning to see them all)`,
    );
  }
  return `${lines.join('\n')}\n`;
};

function hiddenAnnotations(lines: readonly string[]): number {
  const perKind = new Map<string, number>();
  for (const line of lines) {
    const kind = /^::(error|warning|notice)[ :]/.exec(line)?.[1];
    if (kind) perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
  }
  return [...perKind.values()].reduce((sum, n) => sum + Math.max(0, n - ANNOTATIONS_PER_KIND), 0);
}

function findingCommand(finding: Finding, report: ScanReport, ctx: ReporterContext): string {
  const file = configFileFor(finding, report);
  // Annotations attach to files in the repository; a file elsewhere (user scope) would be dropped.
  const relative = file === undefined ? undefined : relativeToCwd(file, ctx.cwd);
  const entity = entityOf(finding.location);
  const server = serverLabel(finding.location.server);
  const where = entity.kind === 'server' ? server : `${server} › ${entity.kind} ${safeText(entity.name)}`;
  const body = [`${where}: ${safeProse(finding.message)}`];
  if (finding.evidence !== undefined) body.push(`Evidence: “${safeProse(finding.evidence)}”`);
  const tip = finding.tip ?? ctx.rules.get(finding.ruleId)?.tip;
  if (tip) body.push(`Fix: ${safeProse(tip)}`);
  body.push(`Docs: ${safeProse(finding.docsUrl ?? docsUrlFor(finding.ruleId))}`);
  const title = `${finding.severity} ${finding.ruleId}: ${ruleTitle(ctx.rules, finding.ruleId)}`;
  return workflowCommand(
    annotationCommand(finding.severity),
    { file: relative, line: relative === undefined ? undefined : '1', title: safeProse(title) },
    body.join('\n'),
  );
}

function summaryLine(report: ScanReport): string {
  const s = report.summary;
  const counts = [...SEVERITIES]
    .reverse()
    .map((severity) => `${s.findings[severity]} ${severity}`)
    .join(', ');
  return `mcp-guard: ${s.servers} servers (${s.serversListed} listed, ${s.serversFailed} failed); findings: ${counts}; drift: ${s.driftBlocking} blocking, ${s.driftInformational} informational; exit ${s.exitCode}`;
}
