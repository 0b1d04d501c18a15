// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. Drift and connection failures arrive as
// findings already (the CLI converts them), so report.drift is deliberately not read here.
import { DOCS_BASE_URL, docsUrlFor } from '../findings/finding.js';
import type { RuleMeta } from '../findings/finding.js';
import { redact } from '../findings/redact.js';
import type { Finding, ScanReport, Severity } from '../model.js';
import { configFileFor, entityOf, safeProse, safeText, severityTier, sortFindings } from './finding-view.js';
import { directoryUri, fileUri, relativeToCwd, relativeUri } from './paths.js';
import type { Reporter, ReporterContext } from './reporter.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINGERPRINT_KEY = 'mcpGuard/v1';
const SOURCE_ROOT = '%SRCROOT%';

export type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(severity: Severity): SarifLevel {
  const tier = severityTier(severity);
  return tier === 'info' ? 'note' : tier;
}

/**
 * GitHub's `security-severity` score (a string holding a number in 0.0–10.0). GitHub buckets scores as
 * critical > 9.0, high ≥ 7.0, medium ≥ 4.0, low > 0, so each of our severities lands in its own bucket.
 */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

export const sarifReporter: Reporter = (report, ctx) => {
  const findings = sortFindings(report.findings);
  const ruleIds = [...new Set(findings.map((f) => f.ruleId))].sort();
  const ruleIndex = new Map(ruleIds.map((id, index) => [id, index]));
  const rules = ruleIds.map((id) => sarifRule(id, ctx.rules.get(id), findings.find((f) => f.ruleId === id)!));
  const results = findings.map((finding) => sarifResult(finding, ruleIndex.get(finding.ruleId)!, report, ctx));
  const incomplete = report.summary.exitCode === 2 || report.summary.exitCode === 3;
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: DOCS_BASE_URL.replace(/\/blob\/.*$/, ''),
            rules,
          },
        },
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: directoryUri(ctx.cwd) } },
        invocations: [
          {
            executionSuccessful: !incomplete,
            exitCode: report.summary.exitCode,
            toolExecutionNotifications: report.notes.map((note) => ({
              level: 'note',
              message: { text: safeProse(redact(note)) },
            })),
          },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

function sarifRule(id: string, meta: RuleMeta | undefined, example: Finding): object {
  // A rule this build has no metadata for still gets a valid descriptor, named by its id.
  const severity = meta?.severity ?? example.severity;
  const category = meta?.category ?? example.category;
  const title = meta?.title ?? id;
  const description = meta?.description ?? title;
  const helpUri = example.docsUrl ?? docsUrlFor(id);
  const tip = meta?.tip;
  const helpText = [description, tip ? `Fix: ${tip}` : '', `Docs: ${helpUri}`].filter(Boolean).join('\n\n');
  const helpMarkdown = [description, tip ? `**Fix:** ${tip}` : '', `[Documentation](${helpUri})`].filter(Boolean).join('\n\n');
  return {
    id,
    name: pascalCase(id),
    shortDescription: { text: title },
    fullDescription: { text: description },
    helpUri,
    help: { text: helpText, markdown: helpMarkdown },
    defaultConfiguration: { level: sarifLevel(severity) },
    properties: {
      tags: ['security', category],
      ...(meta ? { precision: meta.confidence } : {}),
      'security-severity': SECURITY_SEVERITY[severity],
    },
  };
}

function sarifResult(finding: Finding, index: number, report: ScanReport, ctx: ReporterContext): object {
  const message = safeProse(finding.message);
  const text = finding.evidence === undefined ? message : `${message} Evidence: “${safeProse(finding.evidence)}”`;
  const physical = physicalLocation(configFileFor(finding, report), ctx.cwd);
  const logical = logicalLocations(finding);
  return {
    ruleId: finding.ruleId,
    ruleIndex: index,
    level: sarifLevel(finding.severity),
    message: { text },
    locations: [
      {
        ...(physical ? { physicalLocation: physical } : {}),
        ...(logical.length > 0 ? { logicalLocations: logical } : {}),
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    properties: {
      // GitHub reads security-severity from a result's property bag too (oasis-tcs/sarif-spec#612), so an
      // informational drift of a high-severity rule is not shown as a high alert.
      'security-severity': SECURITY_SEVERITY[finding.severity],
      severity: finding.severity,
      confidence: finding.confidence,
      category: finding.category,
      ...(finding.location.field ? { field: safeText(finding.location.field) } : {}),
    },
  };
}

/**
 * GitHub code scanning rejects results without a physical location, so every finding points at the config
 * file its server came from; line 1 because reporters do not read files and the model carries no line.
 */
function physicalLocation(file: string | undefined, cwd: string): object | undefined {
  if (file === undefined) return undefined;
  const relative = relativeToCwd(file, cwd);
  const artifactLocation = relative === undefined ? { uri: fileUri(file) } : { uri: relativeUri(relative), uriBaseId: SOURCE_ROOT };
  return { artifactLocation, region: { startLine: 1 } };
}

const LOGICAL_KIND = { tool: 'function', prompt: 'object', resource: 'object', package: 'module', server: 'module' } as const;
const PLURAL = { tool: 'tools', prompt: 'prompts', resource: 'resources', package: 'package' } as const;

function logicalLocations(finding: Finding): object[] {
  const server = safeText(finding.location.server);
  // A finding about no particular server (e.g. an unused ignore) has no server to name.
  const serverLocations = server === '' ? [] : [{ name: server, fullyQualifiedName: server, kind: LOGICAL_KIND.server }];
  const entity = entityOf(finding.location);
  if (entity.kind === 'server') return serverLocations;
  const name = safeText(entity.name);
  const qualified = server === '' ? `${PLURAL[entity.kind]}/${name}` : `${server}/${PLURAL[entity.kind]}/${name}`;
  return [
    {
      name,
      fullyQualifiedName: qualified,
      kind: LOGICAL_KIND[entity.kind],
    },
    ...serverLocations,
  ];
}

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}
