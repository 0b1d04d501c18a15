// Loads the shared fixture report and rule metadata that every reporter test renders.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RuleMeta } from '../../src/findings/finding.js';
import type { ScanReport } from '../../src/model.js';
import type { ReporterContext } from '../../src/reporters/index.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/reports/', import.meta.url));
/** The working directory the fixture's config paths were recorded under. */
export const SAMPLE_CWD = '/home/dev/project';

export function loadSampleReport(): ScanReport {
  return JSON.parse(readFileSync(`${FIXTURES}sample-report.json`, 'utf8')) as ScanReport;
}

export function loadSampleRules(): Map<string, RuleMeta> {
  const rules = JSON.parse(readFileSync(`${FIXTURES}sample-rules.json`, 'utf8')) as RuleMeta[];
  return new Map(rules.map((rule) => [rule.id, rule]));
}

export function sampleContext(overrides: Partial<ReporterContext> = {}): ReporterContext {
  return { color: false, rules: loadSampleRules(), cwd: SAMPLE_CWD, ...overrides };
}

/** A tool name a malicious server might choose: clears the screen and flips the text direction. */
export const HOSTILE_NAME = 'evil\u001b[2J\u202etxt.exe';

/** The sample report with one hostile server whose names and texts try to act on the reader's terminal. */
export function hostileReport(): ScanReport {
  const report = loadSampleReport();
  const server = report.servers[0]!;
  report.servers.push({
    ...server,
    name: `srv\u001b]0;pwned\u0007${HOSTILE_NAME}`,
    status: 'failed',
    error: { code: 'exited', message: 'crashed: \u001b[31mred\u001b[0m \u202egnp.exe' },
  });
  report.findings.push({
    ruleId: 'tool-poisoning',
    category: 'poisoning',
    severity: 'critical',
    confidence: 'high',
    message: `Tool ${HOSTILE_NAME} hides instructions\u001b[1A\u001b[2K`,
    location: { server: `srv\u001b]0;pwned\u0007${HOSTILE_NAME}`, tool: HOSTILE_NAME, field: 'description' },
    fingerprint: 'f'.repeat(32),
    evidence: 'raw \u001b[8mhidden\u001b[0m \u2066isolated\u2069',
  });
  report.drift.push({
    server: 'notes',
    entity: 'tool',
    name: HOSTILE_NAME,
    change: 'added',
    severity: 'blocking',
    reasons: [{ field: 'description', kind: 'added', blocking: true, detail: `new tool ${HOSTILE_NAME}` }],
  });
  report.notes.push(`note from \u001b[2J${HOSTILE_NAME}`);
  return report;
}

/** A finding about no server at all, as the scan emits for an ignore entry that matched nothing. */
export function withServerlessFinding(report: ScanReport): ScanReport {
  report.findings.push({
    ruleId: 'unused-ignore',
    category: 'config',
    severity: 'low',
    confidence: 'high',
    message: 'ignore for tool-poisoning matched no finding (.mcp-guard.yaml:4)',
    location: { server: '', configFile: `${SAMPLE_CWD}/.mcp-guard.yaml` },
    fingerprint: 'a'.repeat(32),
  });
  return report;
}
