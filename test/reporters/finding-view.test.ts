import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeForDisplay } from '../../src/findings/escape.js';
import { safeProse } from '../../src/reporters/finding-view.js';
import { jsonReporter } from '../../src/reporters/json.js';
import { loadSampleReport, sampleContext } from './sample.js';

// Strings rich in what matters here: controls, bidi, zero-width, tags, private use, lone surrogates.
const hostileChar = fc.constantFrom(
  '\u0000', '\u0007', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u00ad', '\u200b', '\u200f', '\u202e',
  '\u2066', '\ufeff', '\ue000', '\udb40\udc41', '\ud800', '\udfff', '\\', 'a', 'é', '→', '😀', ' ',
);
const hostileString = fc.oneof(
  fc.array(hostileChar, { maxLength: 40 }).map((chars) => chars.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

describe('safeProse', () => {
  it('escapes exactly what escapeForDisplay escapes, except backslashes', () => {
    fc.assert(
      fc.property(hostileString, (text) => {
        const withoutBackslash = text.replace(/\\/g, '');
        expect(safeProse(withoutBackslash)).toBe(escapeForDisplay(withoutBackslash));
      }),
    );
  });

  it('is idempotent, so text escaped upstream is never escaped twice', () => {
    fc.assert(
      fc.property(hostileString, (text) => {
        expect(safeProse(safeProse(text))).toBe(safeProse(text));
        expect(safeProse(escapeForDisplay(text))).toBe(escapeForDisplay(text));
      }),
    );
  });
});

describe('json reporter escaping', () => {
  it('round-trips any string exactly while leaving no unsafe character raw in the text', () => {
    fc.assert(
      fc.property(hostileString, (text) => {
        const report = loadSampleReport();
        report.findings[0]!.message = text || 'x';
        report.notes = [text];
        const output = jsonReporter(report, sampleContext());
        expect(safeProse(output.replace(/\n/g, ''))).toBe(output.replace(/\n/g, ''));
        const parsed = JSON.parse(output) as { notes: string[]; findings: Array<{ message: string }> };
        // JSON.stringify writes lone surrogates as escapes, so even they come back unchanged.
        expect(parsed.notes[0]).toBe(text);
        expect(parsed.findings.some((f) => f.message === (text || 'x'))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
