import { describe, expect, it } from 'vitest';
import { getReporter, REPORTER_NAMES } from '../../src/reporters/index.js';
import { loadSampleReport, sampleContext } from './sample.js';

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
});
