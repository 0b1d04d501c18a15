import { describe, expect, it } from 'vitest';
import { createFinding } from '../../src/findings/finding.js';
import { SEVERITIES } from '../../src/model.js';
import { getReporter, REPORTER_NAMES } from '../../src/reporters/index.js';
import { HOSTILE_NAME, loadSampleReport, loadSampleRules, sampleContext } from './sample.js';

describe('reporter registry', () => {
  it('finds every advertised reporter by name and nothing else', () => {
    for (const name of REPORTER_NAMES) expect(getReporter(name), name).toBeTypeOf('function');
    expect(getReporter('xml')).toBeUndefined();
    expect(getReporter('toString')).toBeUndefined();
    expect(getReporter('')).toBeUndefined();
  });

  it.each(REPORTER_NAMES)('%s renders the sample report deterministically, ending in one newline', (name) => {
    const reporter = getReporter(name)!;
    const first = reporter(loadSampleReport(), sampleContext());
    const second = reporter(loadSampleReport(), sampleContext());
    expect(first).toBe(second);
    expect(first.endsWith('\n')).toBe(true);
    expect(first.endsWith('\n\n')).toBe(false);
  });

  it.each(REPORTER_NAMES)('%s does not modify the report it is given', (name) => {
    const report = loadSampleReport();
    const before = JSON.stringify(report);
    getReporter(name)!(report, sampleContext());
    expect(JSON.stringify(report)).toBe(before);
  });

  it.each(REPORTER_NAMES)('%s falls back to the rule id when the context has no metadata at all', (name) => {
    const output = getReporter(name)!(loadSampleReport(), sampleContext({ rules: new Map() }));
    expect(output).toContain('tool-poisoning');
    expect(output).toContain('future-rule');
  });

  it('the sample fixture is consistent: summary counts match its findings and drift', () => {
    const report = loadSampleReport();
    for (const severity of SEVERITIES) {
      expect(report.summary.findings[severity], severity).toBe(report.findings.filter((f) => f.severity === severity).length);
    }
    expect(report.summary.driftBlocking).toBe(report.drift.filter((d) => d.severity === 'blocking').length);
    expect(report.summary.driftInformational).toBe(report.drift.filter((d) => d.severity === 'informational').length);
    expect(report.summary.servers).toBe(report.servers.length);
    expect(new Set(report.findings.map((f) => f.fingerprint)).size).toBe(report.findings.length);
  });

  it.each(REPORTER_NAMES)('%s renders a finding made by the real builder without leaking its secret or control characters', (name) => {
    const report = loadSampleReport();
    const rule = loadSampleRules().get('tool-poisoning')!;
    report.findings.push(
      createFinding(rule, {
        location: { server: 'notes', tool: HOSTILE_NAME, field: 'description' },
        message: `Tool asks for api_key=sk-live_abcdefghijklmnopqrstuvwx and names ${HOSTILE_NAME}`,
        evidence: 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz',
      }),
    );
    const output = getReporter(name)!(report, sampleContext());
    expect(output).toContain('[REDACTED]');
    expect(output).not.toContain('abcdefghijklmnopqrstuvwx');
    expect(output).not.toContain('\u001b');
    expect(output).not.toContain('\u202e');
  });
});
