// How every reporter names rules, entities and config files for a finding, so the four formats agree.
import { escapeForDisplay } from '../findings/escape.js';
// Prose escaping is shared with the CLI's error messages; re-exported for the reporters.
export { isUnsafeCodePoint, OUTSIDE_PRINTABLE_ASCII, safeProse } from '../findings/escape.js';
import { compareFindings } from '../findings/finding.js';
import type { RuleMeta } from '../findings/finding.js';
import type { Finding, FindingLocation, ScanReport, Severity } from '../model.js';

/**
 * Identifiers a server or config controls (server, tool, prompt names): every control, bidi or invisible
 * character made visible, and backslashes doubled so a name can never imitate an escape.
 */
export function safeText(text: string): string {
  return escapeForDisplay(text);
}

/** Some findings (e.g. an ignore entry that matched nothing) concern no particular server. */
export function serverLabel(server: string): string {
  return server === '' ? '(no particular server)' : safeText(server);
}

/** A rule the context does not know (e.g. one newer than this build) is shown by its id. */
export function ruleTitle(rules: ReadonlyMap<string, RuleMeta>, ruleId: string): string {
  return rules.get(ruleId)?.title ?? ruleId;
}

export type EntityKindLabel = 'tool' | 'prompt' | 'resource' | 'package' | 'server';

export interface EntityRef {
  kind: EntityKindLabel;
  /** Raw (unescaped) name; empty for the server itself. */
  name: string;
}

export function entityOf(location: FindingLocation): EntityRef {
  if (location.tool !== undefined) return { kind: 'tool', name: location.tool };
  if (location.prompt !== undefined) return { kind: 'prompt', name: location.prompt };
  if (location.resource !== undefined) return { kind: 'resource', name: location.resource };
  if (location.package !== undefined) return { kind: 'package', name: location.package };
  return { kind: 'server', name: '' };
}

/** The config file a finding points at: its own, else the first file that defines its server. */
export function configFileFor(finding: Finding, report: ScanReport): string | undefined {
  if (finding.location.configFile) return finding.location.configFile;
  const server = report.servers.find((s) => s.name === finding.location.server);
  return server?.sources[0]?.path;
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

/**
 * The three levels CI formats know (SARIF `level`, GitHub annotation commands): high and critical fail
 * a check, medium warns, the rest is informational. One mapping, so the two formats never disagree.
 */
export function severityTier(severity: Severity): 'error' | 'warning' | 'info' {
  switch (severity) {
    case 'critical':
    case 'high':
      return 'error';
    case 'medium':
      return 'warning';
    case 'low':
    case 'info':
      return 'info';
  }
}
