import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GuardError } from '../../src/errors.js';
import { readPolicy } from '../../src/policy/load.js';
import { POLICY_FIXTURES, policyFrom } from './helpers.js';

function errorOf(yaml: string): GuardError {
  try {
    policyFrom(yaml, 'p.yaml');
  } catch (error) {
    if (error instanceof GuardError) return error;
    throw error;
  }
  throw new Error('expected the policy to be refused');
}

describe('parsePolicy', () => {
  it('compiles the documented example', async () => {
    const policy = await readPolicy(join(POLICY_FIXTURES, 'example.yaml'));
    expect(policy.default).toBe('allow');
    const notes = policy.servers.get('notes')!;
    expect(notes.preset).toBe('read-only');
    expect(notes.rules.map((rule) => [rule.tool, rule.action, rule.location.line])).toEqual([
      ['archive_note', 'deny', 8],
      ['read_notes', 'allow', 11],
      ['read_notes', 'deny', 15],
      ['add_*', 'approve', 17],
    ]);
    expect(notes.rules[3]!.rate).toEqual({ count: 30, unit: 'minute', periodMs: 60_000, text: '30/minute' });
  });

  it('defaults to allow when `default` is omitted', () => {
    expect(policyFrom('version: 1\n').default).toBe('allow');
  });

  it.each([
    ['a YAML syntax error', 'version: 1\nservers:\n  notes: [\n', 4, /invalid YAML/],
    ['a duplicate key', 'version: 1\ndefault: allow\ndefault: deny\n', 3, /invalid YAML: Map keys must be unique/],
    ['an empty file', '', 1, /empty/],
    ['a missing version', 'default: deny\n', 1, /missing required key "version"/],
    ['a wrong version', 'version: 2\n', 1, /version: must be 1/],
    ['an unknown top-level key', 'version: 1\nservres: {}\n', 2, /unknown key "servres"/],
    ['an unknown action', 'version: 1\nservers:\n  s:\n    rules:\n      - tool: t\n        action: block\n', 6, /servers\.s\.rules\.0\.action: must be one of: allow, deny, approve, log/],
    ['an unknown rule key', 'version: 1\nservers:\n  s:\n    rules:\n      - tool: t\n        action: deny\n        resaon: typo\n', 7, /unknown key "resaon"/],
    ['a rule without a tool', 'version: 1\nservers:\n  s:\n    rules:\n      - action: deny\n', 5, /missing required key "tool"/],
    ['a malformed rate', 'version: 1\nservers:\n  s:\n    rules:\n      - tool: t\n        action: allow\n        rate: 30 per minute\n', 7, /must look like 30\/minute/],
    ['a bad matcher shape', 'version: 1\nservers:\n  s:\n    rules:\n      - tool: t\n        action: deny\n        match:\n          x: { preset: xss }\n', 8, /must be a regex string/],
    ['a backreference', 'version: 1\nservers:\n  s:\n    rules:\n      - tool: t\n        action: deny\n        match:\n          x: "(a)\\\\1"\n', 8, /regex for "x" is not supported/],
    ['a lookahead', 'version: 1\nservers:\n  s:\n    rules:\n      - tool: t\n        action: deny\n        match:\n          x: "^(?!safe)"\n', 8, /not supported/],
    ['an empty path segment', 'version: 1\nservers:\n  s:\n    rules:\n      - tool: t\n        action: deny\n        match:\n          "a..b": "x"\n', 8, /empty segment/],
  ])('refuses %s with file:line', (_what, yaml, line, message) => {
    const error = errorOf(yaml);
    expect(error.code).toBe('policy-invalid');
    expect(error.location?.file).toBe('p.yaml');
    expect(error.location?.line).toBe(line);
    expect(error.message).toMatch(message);
  });

  it('gives a hint about RE2 for unsupported syntax', () => {
    expect(errorOf('version: 1\nservers:\n  s:\n    rules:\n      - tool: t\n        action: deny\n        match: { x: "(?<=a)b" }\n').hint).toMatch(/RE2/);
  });

  it('reports a missing file as a policy error', async () => {
    await expect(readPolicy(join(POLICY_FIXTURES, 'does-not-exist.yaml'))).rejects.toMatchObject({ code: 'policy-invalid' });
  });

  it('caps YAML alias expansion (billion laughs)', () => {
    const bomb = ['version: 1', 'x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 10; i++) bomb.push(`x${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    expect(errorOf(bomb.join('\n')).code).toBe('policy-invalid');
  });
});
