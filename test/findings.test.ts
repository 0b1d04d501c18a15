import { afterEach, describe, expect, it } from 'vitest';
import { createFinding, fingerprintOf, type RuleMeta } from '../src/findings/finding.js';
import { escapeForDisplay, excerpt } from '../src/findings/escape.js';
import { clearRegisteredSecrets, redact, redactArgs, registerSecrets, REDACTED } from '../src/findings/redact.js';

const RULE: RuleMeta = {
  id: 'example-rule',
  category: 'poisoning',
  title: 'Example',
  severity: 'medium',
  confidence: 'high',
  description: 'An example rule.',
  tip: 'Do the thing.',
};

afterEach(() => clearRegisteredSecrets());

describe('createFinding', () => {
  it('fills defaults from the rule and derives the docs URL', () => {
    const finding = createFinding(RULE, { location: { server: 's', tool: 't' }, message: 'hello' });
    expect(finding).toMatchObject({
      ruleId: 'example-rule',
      category: 'poisoning',
      severity: 'medium',
      confidence: 'high',
      tip: 'Do the thing.',
    });
    expect(finding.docsUrl).toMatch(/docs\/rules\/example-rule\.md$/);
    expect(finding.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses incomplete findings', () => {
    expect(() => createFinding(RULE, { location: { server: 's' }, message: '  ' })).toThrow(/lacks a message/);
    expect(() => createFinding({ ...RULE, id: 'Bad_Id' }, { location: { server: 's' }, message: 'x' })).toThrow(/invalid rule id/);
  });

  it('fingerprints are stable, ignore wording and separate different places', () => {
    const a = createFinding(RULE, { location: { server: 's', tool: 't' }, message: 'one wording', discriminator: 'x' });
    const b = createFinding(RULE, { location: { server: 's', tool: 't' }, message: 'another wording', discriminator: 'x' });
    const c = createFinding(RULE, { location: { server: 's', tool: 'u' }, message: 'one wording', discriminator: 'x' });
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(c.fingerprint);
    expect(fingerprintOf('r', { server: 'a', tool: 'bc' }, '')).not.toBe(fingerprintOf('r', { server: 'ab', tool: 'c' }, ''));
  });

  it('redacts a credential in a package location (a git URL spec)', () => {
    const finding = createFinding(RULE, {
      location: { server: 's', package: 'git+https://oauth2:glpat-abcdefghijklmnopqrst@gitlab.example.com/o/r.git' },
      message: 'unpinned',
    });
    expect(JSON.stringify(finding)).not.toContain('glpat-abcdefghijklmnopqrst');
  });

  it('redacts registered secrets from messages, evidence and tips', () => {
    registerSecrets(['CANARY-SECRET-9f8e7d']);
    const finding = createFinding(RULE, {
      location: { server: 's' },
      message: 'token CANARY-SECRET-9f8e7d leaked',
      evidence: '…CANARY-SECRET-9f8e7d…',
    });
    expect(JSON.stringify(finding)).not.toContain('CANARY-SECRET-9f8e7d');
    expect(finding.message).toContain(REDACTED);
  });
});

describe('redact', () => {
  it.each([
    ['ghp_0123456789abcdefghijABCDEFGHIJ012345', 'GHIJ012345'],
    ['xoxb-1234567890-abcdefghij', 'abcdefghij'],
    ['sk-ant-api03-abcdefghijklmnopqrstuvwxyz', 'stuvwxyz'],
    ['AKIAIOSFODNN7EXAMPLE', 'NN7EXAMPLE'],
    ['https://alice:hunter2secret@db.example.com/x', 'hunter2secret'],
    ['git+https://tokenOnlyUserinfo42@gitlab.example.com/o/r.git', 'tokenOnlyUserinfo42'],
    ['--api-key=abcd1234efgh', 'abcd1234efgh'],
    ['Authorization: Bearer abcdefghijklmnop', 'abcdefghijklmnop'],
  ])('masks %s', (secret, hiddenPart) => {
    const out = redact(`before ${secret} after`);
    expect(out).toContain(REDACTED);
    expect(out).not.toContain(hiddenPart);
  });

  it('leaves ordinary text alone', () => {
    const text = 'Read a file from the allowed directories; path must be absolute. Tokenizer settings.';
    expect(redact(text)).toBe(text);
  });

  it('masks values that follow credential-named flags', () => {
    expect(redactArgs(['--token', 'abc123secret', '--port', '8080', 'pkg'])).toEqual([
      '--token',
      REDACTED,
      '--port',
      '8080',
      'pkg',
    ]);
  });
});

describe('escapeForDisplay', () => {
  it('makes invisible, bidi, ANSI and tag characters visible', () => {
    const hostile = 'a\u200bb\u202ec\u001b[2Jd\u{E0041}\u{E0042}';
    const shown = escapeForDisplay(hostile);
    expect(shown).toBe('a\\u{200B ZWSP}b\\u{202E RLO}c\\u{001B ESC}[2Jd\\u{E0041:A}\\u{E0042:B}');
    // eslint-disable-next-line no-control-regex
    expect(shown).not.toMatch(/[\u0000-\u001f\u200b-\u200f\u202a-\u202e\u{E0000}-\u{E007F}]/u);
  });

  it('escapes backslashes so escapes cannot be forged', () => {
    expect(escapeForDisplay('\\u{200B ZWSP}')).toBe('\\\\u{200B ZWSP}');
  });

  it('excerpt shows context around a span', () => {
    expect(excerpt('x'.repeat(100) + 'EVIL' + 'y'.repeat(100), 100, 104, 5)).toBe('…xxxxxEVILyyyyy…');
  });
});

describe('CLI error messages', () => {
  it('escape what a server or config put in them, keep line breaks, and still redact', async () => {
    const { GuardError } = await import('../src/errors.js');
    const { reportError } = await import('../src/cli/main.js');
    const { captureIo } = await import('./helpers/io.js');
    registerSecrets(['CANARY-SECRET-ERR-4242']);
    const io = captureIo();
    const code = reportError(
      new GuardError('lock-invalid', 'server "evil\u001b[2J\u202e" listed two tools\nsecond line CANARY-SECRET-ERR-4242', { hint: 'fix \u200b it' }),
      io,
    );
    expect(code).toBe(2);
    const err = io.err();
    // eslint-disable-next-line no-control-regex
    expect(err).not.toMatch(/[\u001b\u202e\u200b]/);
    expect(err).toContain('\\u{001B ESC}[2J');
    expect(err).toContain('\nsecond line [REDACTED]');
  });
});
