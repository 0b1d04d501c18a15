import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { jsonReporter } from '../../src/reporters/json.js';
import type { ScanReport } from '../../src/model.js';
import { FIXTURES, HOSTILE_NAME, hostileReport, loadSampleReport, sampleContext, withServerlessFinding } from './sample.js';

// The contract as a schema with additionalProperties: false throughout, so a field that leaks into the
// output without being added to the contract on purpose fails here.
const validateContract = (() => {
  const ajv = new Ajv({ allErrors: true });
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  return ajv.compile(JSON.parse(readFileSync(`${FIXTURES}scan-report-v1.schema.json`, 'utf8')) as object);
})();

function expectContract(text: string): void {
  const ok = validateContract(JSON.parse(text));
  expect(ok ? [] : validateContract.errors).toEqual([]);
}

function render(report: ScanReport = loadSampleReport()): string {
  return jsonReporter(report, sampleContext());
}

// Reverse the key order of every object, so a reporter that merely copies its input would be caught.
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
}

describe('json reporter (versioned contract, design §6)', () => {
  it('has the top-level keys in contract order, version 1 and a trailing newline', () => {
    const text = render();
    expect(text.endsWith('}\n')).toBe(true);
    const json = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['version', 'tool', 'files', 'servers', 'findings', 'drift', 'notes', 'summary']);
    expect(json.version).toBe(1);
    expect(json.tool).toEqual({ name: 'mcp-guard', version: '0.1.0' });
    expect(json.notes).toEqual(['offline: registry checks skipped', 'legacy: disabled in the client config, not connected']);
  });

  it.each([
    ['the sample', () => loadSampleReport()],
    ['hostile text', () => hostileReport()],
    ['a finding about no server', () => withServerlessFinding(loadSampleReport())],
  ])('matches the version 1 contract schema for %s', (_label, make) => {
    expectContract(render(make()));
  });

  it('leaves out internal fields a producer may have added to the report', () => {
    const report = loadSampleReport() as ScanReport & { debug?: unknown };
    report.debug = { secret: 'x' };
    (report.findings[0] as unknown as Record<string, unknown>).internalScore = 0.93;
    (report.servers[0] as unknown as Record<string, unknown>).env = { API_TOKEN: 'x' };
    const text = render(report);
    expectContract(text);
    expect(text).not.toContain('internalScore');
    expect(text).not.toContain('API_TOKEN');
  });

  it('the contract schema rejects output that breaks it', () => {
    const json = JSON.parse(render()) as { findings: Array<Record<string, unknown>>; extra?: boolean };
    delete json.findings[0]!.fingerprint;
    expect(validateContract(json)).toBe(false);
    const other = JSON.parse(render()) as Record<string, unknown>;
    other.version = 2;
    expect(validateContract(other)).toBe(false);
  });

  it('gives every finding the documented fields, most severe first', () => {
    const json = JSON.parse(render()) as { findings: Array<Record<string, unknown>> };
    expect(json.findings).toHaveLength(7);
    for (const finding of json.findings) {
      for (const key of ['ruleId', 'category', 'severity', 'confidence', 'message', 'location', 'fingerprint']) {
        expect(finding, `${String(finding.ruleId)} lacks ${key}`).toHaveProperty(key);
      }
      expect(finding.fingerprint).toMatch(/^[0-9a-f]{32}$/);
      expect((finding.location as Record<string, unknown>).server).toBeTypeOf('string');
    }
    expect(json.findings.map((f) => f.severity)).toEqual(['critical', 'high', 'high', 'medium', 'medium', 'low', 'info']);
    const poisoning = json.findings[0]!;
    expect(Object.keys(poisoning)).toEqual([
      'ruleId', 'category', 'severity', 'confidence', 'message', 'location', 'fingerprint', 'evidence', 'tip', 'docsUrl',
    ]);
    expect(poisoning.location).toEqual({ server: 'notes', tool: 'read_note', field: 'description' });
  });

  it('carries servers, drift and a summary with the exit code', () => {
    const json = JSON.parse(render()) as {
      servers: Array<Record<string, unknown>>;
      drift: Array<Record<string, unknown>>;
      summary: Record<string, unknown>;
    };
    expect(json.servers.map((s) => [s.name, s.status])).toEqual([
      ['notes', 'listed'],
      ['github', 'listed'],
      ['remote-db', 'failed'],
      ['legacy', 'disabled'],
    ]);
    expect(json.servers[2]!.error).toEqual({ code: 'auth-required', message: 'HTTP 401 from https://db.example.com/mcp: the server requires OAuth' });
    expect(Object.keys(json.servers[0]!)).toEqual(['name', 'transport', 'status', 'sources', 'counts', 'serverInfo', 'package', 'durationMs']);
    // Server-supplied objects come out with sorted keys.
    expect(Object.keys(json.servers[0]!.serverInfo as object)).toEqual(['name', 'version']);
    expect(json.drift.map((d) => [d.name, d.severity])).toEqual([
      ['archive_note', 'informational'],
      ['read_note', 'blocking'],
    ]);
    expect(Object.keys(json.summary)).toEqual([
      'servers', 'serversListed', 'serversFailed', 'findings', 'driftBlocking', 'driftInformational', 'exitCode',
    ]);
    expect(Object.keys(json.summary.findings as object)).toEqual(['critical', 'high', 'medium', 'low', 'info']);
    expect(json.summary.exitCode).toBe(1);
  });

  it('prints the same bytes whatever order the report keys and findings arrived in', () => {
    const shuffled = reverseKeys(loadSampleReport()) as ScanReport;
    shuffled.findings.reverse();
    shuffled.drift.reverse();
    expect(render(shuffled)).toBe(render());
  });

  it('writes invisible and bidi characters as \\u escapes while keeping the data identical', () => {
    const report = hostileReport();
    const text = render(report);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u206f]/u);
    expect(text).toContain('\\u202e');
    expect(text).toContain('\\u001b');
    const json = JSON.parse(text) as { findings: Array<{ location: { tool?: string } }>; servers: Array<{ name: string }> };
    expect(json.findings.some((f) => f.location.tool === HOSTILE_NAME)).toBe(true);
    expect(json.servers.at(-1)!.name).toBe(report.servers.at(-1)!.name);
  });

  it('redacts credentials in failure messages and registry overrides', () => {
    const report = loadSampleReport();
    report.servers[2]!.error = { code: 'exited', message: 'Authorization: Bearer abcdefghijklmnop1234 refused' };
    report.servers[0]!.package = { ecosystem: 'npm', launcher: 'npx', name: 'x', registry: 'https://me:hunter2secret@npm.example.com/' };
    const text = render(report);
    expect(text).not.toContain('abcdefghijklmnop1234');
    expect(text).not.toContain('hunter2secret');
    expect(text).toContain('https://me:[REDACTED]@npm.example.com/');
  });
});
