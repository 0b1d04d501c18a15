// The required-literal prefilter may only skip strings a pattern cannot match: checked on hand-written
// patterns, on every shipped pattern against the whole corpus and the rule examples, and by property tests.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { patternRules } from '../../src/rules/engine.js';
import { LiteralAutomaton } from '../../src/rules/literal-automaton.js';
import { normalizedOf, normalizeText, withSharedNormalization } from '../../src/rules/normalize.js';
import { LiteralIndex } from '../../src/rules/pattern-rule.js';
import { mayMatch, requiredLiterals } from '../../src/rules/required-literals.js';

describe('requiredLiterals', () => {
  it.each([
    ['\\bnot (?:tell|ask) me\\b', [['not ask me', 'not tell me']]],
    // Literals are cut to 12 characters: any piece of a required string is required too.
    ['\\bdo not (?:tell|inform) the user\\b', [['do not infor', 'do not tell ']]],
    ['ab?c', [['ac', 'abc']]],
    ['foo[^.]{0,10}bar', [['foo'], ['bar']]],
    ['x{2,3}', [['x']]],
    ['foo[0-9]{1,3}|bar.', [['bar', 'foo']]],
    ['fr[uü]her', [['fruher', 'früher']]],
    ['\\.npmrc\\b', [['.npmrc']]],
    ['\\u00e9t\\u00e9', [['été']]],
    ['(?<![a-z])key(?=s)', [['key']]],
    ['(?:the )?(?:user|human)', [['user', 'human']]],
  ])('%s needs %j', (source, expected) => {
    expect(requiredLiterals(source)?.sets).toEqual(expected);
  });

  it.each([
    ['(?=(a{1,3}))\\1b', 'a back-reference'],
    ['a{0,4}', 'nothing required'],
    ['foo|[a-z]{2}', 'an alternative without a literal'],
    ['[^"]{1,9}', 'a negated class'],
  ])('gives no filter for %s (%s)', (source) => {
    expect(requiredLiterals(source)).toBeUndefined();
  });

  it('never filters out a text the pattern matches, on random patterns (property)', () => {
    // Small alphabet, so random texts often match: the implication below is tested, not vacuous.
    const atom: fc.Arbitrary<string> = fc.letrec<{ re: string; atom: string }>((tie) => ({
      re: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.array(tie('atom'), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('')),
        fc.tuple(tie('re'), tie('re')).map(([a, b]) => `${a}|${b}`),
      ),
      atom: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constantFrom('a', 'b', ' ', 'ab', '\\.', '.', '[ab]', '[^a]', '[a-c]', '\\b', '\\s', '^', '$', '\\u0061'),
        fc.tuple(tie('re'), fc.constantFrom('', '?', '{1,2}', '{0,3}', '{2}', '??', '{1,3}?')).map(([re, q]) => `(?:${re})${q}`),
        tie('re').map((re) => `(${re})`),
        tie('re').map((re) => `(?=${re})`),
        tie('re').map((re) => `(?<!${re})`),
      ),
    })).re;
    let matched = 0;
    let checked = 0;
    fc.assert(
      fc.property(atom, fc.array(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '.', 'c'), maxLength: 12 }), { minLength: 1, maxLength: 8 }), (source, texts) => {
        let regex: RegExp;
        try {
          regex = new RegExp(source, 'u');
        } catch {
          return;
        }
        const required = requiredLiterals(source);
        for (const text of texts) {
          if (!regex.test(text)) continue;
          matched++;
          if (!required) continue;
          checked++;
          expect(mayMatch(required, text), `${source} on ${JSON.stringify(text)}`).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
    expect(matched).toBeGreaterThan(1000);
    expect(checked).toBeGreaterThan(300);
  });

  it('filters what cannot match and keeps what can', () => {
    const required = requiredLiterals('\\b(?:never|do not) (?:tell|inform) (?:the )?user\\b')!;
    expect(mayMatch(required, 'please do not tell user x')).toBe(true);
    expect(mayMatch(required, 'tell the user the result')).toBe(false);
  });
});

const rules = patternRules();
const patterns = rules.flatMap((rule) => rule.patterns.map((pattern) => ({ rule, pattern })));
const literalIndex = new LiteralIndex(rules);

function corpusStrings(): string[] {
  const strings = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === 'string') strings.add(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) {
      strings.add(key);
      collect(item);
    }
  };
  const corpus = new URL('../corpus/', import.meta.url);
  for (const file of readdirSync(new URL('benign/', corpus)).filter((f) => f.endsWith('.json'))) {
    collect(JSON.parse(readFileSync(new URL(`benign/${file}`, corpus), 'utf8')));
  }
  collect(JSON.parse(readFileSync(new URL('poisoned/cases.json', corpus), 'utf8')));
  for (const rule of rules) collect([rule.examples.match, rule.examples.noMatch]);
  return [...strings].flatMap((raw) => [raw, normalizeText(raw)]);
}

describe('shipped patterns', () => {
  it('nearly all get a prefilter (a new construct the reader misses would silently cost speed)', () => {
    const filtered = patterns.filter(({ pattern }) => pattern.required !== undefined).length;
    expect(filtered / patterns.length).toBeGreaterThan(0.9);
  });

  it('every string of the corpus and the examples that a pattern matches passes its prefilter', () => {
    let matched = 0;
    const missed: string[] = [];
    for (const text of corpusStrings()) {
      const scan = literalIndex.scan(text);
      for (const { rule, pattern } of patterns) {
        if (!pattern.regex.test(text)) continue;
        matched++;
        if (pattern.required && !mayMatch(pattern.required, text)) missed.push(`${rule.meta.id} ${pattern.regex.source}: ${text}`);
        if (!scan.mayMatch(pattern)) missed.push(`(index) ${rule.meta.id} ${pattern.regex.source}: ${text}`);
      }
    }
    expect(missed).toEqual([]);
    // The check above is only as good as the matches it saw.
    expect(matched).toBeGreaterThan(400);
  });

  it('every match example of a rule passes the prefilter of a pattern that matches it', () => {
    for (const rule of rules) {
      for (const text of rule.examples.match.map(normalizeText)) {
        const matching = rule.patterns.filter((pattern) => pattern.regex.test(text));
        expect(matching.length, `${rule.meta.id}: ${text}`).toBeGreaterThan(0);
        for (const pattern of matching) expect(literalIndex.scan(text).mayMatch(pattern), `${rule.meta.id}: ${text}`).toBe(true);
      }
    }
  });

  it('the one-pass index answers exactly like a search per pattern, on corpus strings', () => {
    const byKind = new Map<string, typeof patterns>();
    for (const entry of patterns) for (const kind of entry.rule.appliesTo) byKind.set(kind, [...(byKind.get(kind) ?? []), entry]);
    const alone = (pattern: (typeof patterns)[number]['pattern'], text: string): boolean => !pattern.required || mayMatch(pattern.required, text);
    let passed = 0;
    for (const text of corpusStrings()) {
      const scan = literalIndex.scan(text);
      for (const { pattern } of patterns) expect(scan.mayMatch(pattern)).toBe(alone(pattern, text));
      for (const [kind, entries] of byKind) {
        const expected = entries.some(({ pattern }) => alone(pattern, text));
        if (expected) passed++;
        expect(scan.anyMayMatch(kind as Parameters<typeof scan.anyMayMatch>[0]), `${kind}: ${text}`).toBe(expected);
      }
    }
    expect(passed).toBeGreaterThan(100);
  });

  it('refuses a scan result used after a later scan', () => {
    const first = literalIndex.scan('do not tell the user');
    literalIndex.scan('something else');
    expect(() => first.anyMayMatch('description')).toThrow(/later scan/);
  });

  it('holds on mutated and spliced examples (property)', () => {
    const examples = rules.flatMap((rule) => rule.examples.match.map(normalizeText));
    const mutated = fc
      .tuple(fc.constantFrom(...examples), fc.constantFrom(...examples), fc.nat(), fc.nat(), fc.string({ maxLength: 6 }))
      .map(([a, b, cut, keep, insert]) => {
        const at = cut % (a.length + 1);
        return a.slice(0, at) + insert + b.slice(keep % (b.length + 1));
      });
    fc.assert(
      fc.property(mutated, (text) => {
        const scan = literalIndex.scan(text);
        for (const { pattern } of patterns) {
          if (pattern.regex.test(text)) expect(scan.mayMatch(pattern)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('withSharedNormalization', () => {
  it('gives every surface the same text normalizeText() gives, inside and outside the scope', () => {
    const raw = 'Do **NOT** tell the us\u0435r \u200b about  this';
    const inside = withSharedNormalization(() => [normalizedOf({ raw }), normalizedOf({ raw }), withSharedNormalization(() => normalizedOf({ raw }))]);
    expect(inside).toEqual([normalizeText(raw), normalizeText(raw), normalizeText(raw)]);
    expect(normalizedOf({ raw })).toBe(normalizeText(raw));
    expect(normalizeText(raw)).toBe('do not tell the user about this');
  });
});

describe('LiteralAutomaton', () => {
  it('agrees with String#includes, overlapping and non-ASCII literals included (property)', () => {
    const unit = fc.constantFrom('a', 'b', 'ab', ' ', 'é', '\u{1f600}', '.');
    const word = fc.array(unit, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 12 }), fc.array(unit, { maxLength: 40 }), (literals, parts) => {
        const text = parts.join('');
        const present = new LiteralAutomaton(literals).presence(text);
        expect([...present].map((bit) => bit === 1)).toEqual(literals.map((literal) => text.includes(literal)));
      }),
      { numRuns: 500 },
    );
  });

  it('finds a literal that starts inside another one', () => {
    const present = new LiteralAutomaton(['sending', 'ending', 'din', 'x']).presence('a sending b');
    expect([...present]).toEqual([1, 1, 1, 0]);
  });
});
