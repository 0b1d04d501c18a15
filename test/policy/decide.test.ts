import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileToolGlob } from '../../src/policy/arguments.js';
import { decide, ruleCoversTool } from '../../src/policy/decide.js';
import { readPolicy } from '../../src/policy/load.js';
import type { Policy, PolicyRule } from '../../src/policy/types.js';
import { POLICY_FIXTURES, policyFrom } from './helpers.js';

const call = (tool: string, args?: unknown, server = 'notes') => ({ server, tool, arguments: args, now: 0 });

describe('decide on the documented example policy', async () => {
  const policy = await readPolicy(join(POLICY_FIXTURES, 'example.yaml'));

  it('denies with the rule reason, which the model will read', () => {
    expect(decide(policy, call('archive_note', { id: 1 }))).toMatchObject({
      action: 'deny',
      reason: 'archiving is not allowed here',
      source: 'rule',
      ruleIndex: 0,
      line: 8,
    });
  });

  it('allows read_notes only for the folders the regex admits, first match wins', () => {
    expect(decide(policy, call('read_notes', { folder: 'work' }))).toMatchObject({ action: 'allow', ruleIndex: 1 });
    expect(decide(policy, call('read_notes', { folder: 'home' }))).toMatchObject({ action: 'allow', ruleIndex: 1 });
    expect(decide(policy, call('read_notes', { folder: 'private' }))).toMatchObject({ action: 'deny', ruleIndex: 2 });
    expect(decide(policy, call('read_notes', { folder: 'work/../private' }))).toMatchObject({ action: 'deny', ruleIndex: 2 });
    // `$` in RE2 is the end of the text, not "before a final newline".
    expect(decide(policy, call('read_notes', { folder: 'work\n' }))).toMatchObject({ action: 'deny', ruleIndex: 2 });
  });

  it('treats a missing or non-string argument as not matching the allow rule', () => {
    expect(decide(policy, call('read_notes', {}))).toMatchObject({ action: 'deny', ruleIndex: 2 });
    expect(decide(policy, call('read_notes'))).toMatchObject({ action: 'deny', ruleIndex: 2 });
    expect(decide(policy, call('read_notes', { folder: ['work'] }))).toMatchObject({ action: 'deny', ruleIndex: 2 });
  });

  it('never resolves an argument path through the prototype chain', () => {
    const sneaky = policyFrom(`version: 1
servers:
  s:
    rules:
      - tool: t
        match: { constructor: "Object" }
        action: allow
      - tool: t
        action: deny
`);
    expect(decide(sneaky, call('t', {}, 's')).action).toBe('deny');
    expect(decide(sneaky, call('t', { constructor: 'Object' }, 's')).action).toBe('allow');
  });

  it('asks for approval on add_* and hands the rate limit to the caller', () => {
    const decision = decide(policy, call('add_note', { title: 'x' }));
    expect(decision).toMatchObject({ action: 'approve', source: 'rule', ruleIndex: 3 });
    expect(decision.rates?.map((charge) => charge.rate.text)).toEqual(['30/minute']);
  });

  it('lets the read-only preset decide the tools no rule matched', () => {
    expect(decide(policy, call('delete_note', { id: 1 }))).toMatchObject({ action: 'deny', source: 'preset' });
    expect(decide(policy, call('list_folders', {}))).toMatchObject({ action: 'allow', source: 'preset' });
  });

  it('uses the policy default for servers the policy does not name', () => {
    expect(decide(policy, call('delete_everything', {}, 'other'))).toMatchObject({ action: 'allow', source: 'default' });
  });
});

describe('presets', () => {
  const policy = policyFrom(`version: 1
default: deny
servers:
  ro: { preset: read-only }
  aw: { preset: approve-writes }
  plain: { default: log }
`);

  it('read-only denies writes and allows reads; approve-writes asks for writes', () => {
    expect(decide(policy, call('write_file', {}, 'ro')).action).toBe('deny');
    expect(decide(policy, call('read_file', {}, 'ro')).action).toBe('allow');
    expect(decide(policy, call('write_file', {}, 'aw')).action).toBe('approve');
    expect(decide(policy, call('read_file', {}, 'aw')).action).toBe('allow');
  });

  it('does not look at what the server claims about the tool', () => {
    // decide() has no access to annotations at all: a "readOnlyHint: true" on delete_all changes nothing.
    const withClaims = { ...call('delete_all', { readOnlyHint: true }, 'ro'), annotations: { readOnlyHint: true } };
    expect(decide(policy, withClaims).action).toBe('deny');
  });

  it('applies a server default before the policy default', () => {
    expect(decide(policy, call('anything', {}, 'plain'))).toMatchObject({ action: 'log', source: 'server-default' });
    expect(decide(policy, call('anything', {}, 'unnamed'))).toMatchObject({ action: 'deny', source: 'default' });
  });
});

describe('argument matchers', () => {
  const policy = policyFrom(`version: 1
servers:
  s:
    rules:
      - tool: nested
        match: { "options.mode": "^fast$", "items.1": "^b$" }
        action: deny
        reason: nested
      - tool: whole
        match: { $: { preset: path-traversal } }
        action: deny
      - tool: whole
        match: { $: '^\\{"a":1,"b":2\\}$' }
        action: log
      - tool: shell
        match: { cmd: { preset: shell-metacharacters } }
        action: deny
      - tool: sql
        match: { query: { preset: sql-ddl } }
        action: deny
      - tool: typed
        match: { count: "^42$", flag: "^true$", nothing: "^null$" }
        action: deny
`);
  const s = (tool: string, args: unknown) => decide(policy, call(tool, args, 's')).action;

  it('follows dotted paths into objects and arrays; all matchers must match', () => {
    expect(s('nested', { options: { mode: 'fast' }, items: ['a', 'b'] })).toBe('deny');
    expect(s('nested', { options: { mode: 'fast' }, items: ['b', 'a'] })).toBe('allow');
    expect(s('nested', { options: { mode: 'slow' }, items: ['a', 'b'] })).toBe('allow');
  });

  it('matches objects as canonical JSON, so key order cannot dodge a pattern', () => {
    expect(s('whole', { b: 2, a: 1 })).toBe('log');
    expect(s('whole', { a: 1, b: 2 })).toBe('log');
    expect(s('whole', { deep: { list: ['ok', '../../etc/passwd'] } })).toBe('deny');
    expect(s('whole', { deep: { list: ['..\\windows'] } })).toBe('deny');
  });

  it('stringifies numbers, booleans and null', () => {
    expect(s('typed', { count: 42, flag: true, nothing: null })).toBe('deny');
    expect(s('typed', { count: 42, flag: false, nothing: null })).toBe('allow');
  });

  it.each([
    ['../secret', true],
    ['a/../../b', true],
    ['..', true],
    ['%2e%2e%2fetc', true],
    ['..%5cwindows', true],
    ['%252e%252e%252f', true],
    ['file\u0000.txt', true],
    ['notes/2024..2025.md', false],
    ['.../x', false],
    ['/home/me/notes', false],
    ['a.b.c', false],
  ])('path-traversal preset on %j → %s', (value, denied) => {
    expect(s('whole', { path: value })).toBe(denied ? 'deny' : 'allow');
  });

  it.each([
    ['ls; rm -rf /', true],
    ['a && b', true],
    ['$(whoami)', true],
    ['`id`', true],
    ['a | nc host 1', true],
    ['x > /etc/passwd', true],
    ["it's", true],
    ['line\nbreak', true],
    ['plain words only', false],
    ['report-2024_final.txt', false],
  ])('shell-metacharacters preset on %j → %s', (value, denied) => {
    expect(s('shell', { cmd: value })).toBe(denied ? 'deny' : 'allow');
  });

  it.each([
    ['DROP TABLE users', true],
    ['select 1; drop table users', true],
    ['Alter table x add column y int', true],
    ['TRUNCATE logs', true],
    ['grant all on db to bob', true],
    ['COMMENT ON TABLE t IS $$x$$', true],
    ['SELECT * FROM droplets WHERE created_at > now()', false],
    ['select name from users where id = 1', false],
  ])('sql-ddl preset on %j → %s', (value, denied) => {
    expect(s('sql', { query: value })).toBe(denied ? 'deny' : 'allow');
  });

  it('runs in linear time on input that makes backtracking engines hang', () => {
    const hostile = policyFrom(`version: 1
servers:
  s:
    rules:
      - tool: t
        match: { x: "^(a+)+$" }
        action: deny
`);
    // With a backtracking engine this input takes astronomically long; re2js answers at once.
    expect(decide(hostile, call('t', { x: `${'a'.repeat(5000)}!` }, 's')).action).toBe('allow');
    expect(decide(hostile, call('t', { x: 'a'.repeat(5000) }, 's')).action).toBe('deny');
  });
});

describe('failing closed', () => {
  const policy = policyFrom(`version: 1
servers:
  s:
    rules:
      - tool: t
        match: { $: "forbidden" }
        action: deny
`);

  it('denies when an argument cannot be put in canonical form', () => {
    // A lone surrogate has no JSON form; the matcher cannot see the value, so the call is denied.
    expect(decide(policy, call('t', { x: '\ud800' }, 's'))).toMatchObject({ action: 'deny', source: 'error' });
  });

  it('denies when the policy object itself is broken', () => {
    const broken = { ...policy, default: 'maybe' } as unknown as Policy;
    expect(decide(broken, call('t', {}, 'other'))).toMatchObject({ action: 'deny', source: 'error' });
    const hostile = { file: 'x', version: 1, default: 'allow', get servers(): never { throw new Error('boom'); } } as unknown as Policy;
    expect(decide(hostile, call('t', {}, 's'))).toMatchObject({ action: 'deny', source: 'error' });
  });
});

describe('ruleCoversTool', () => {
  const ruleFor = (tool: string): PolicyRule => ({ index: 0, tool, toolPattern: compileToolGlob(tool), match: [], action: 'deny', location: { file: 'p.yaml', line: 1, column: 1 } });
  // Names and globs from characters that mean something to a regex, to a glob, or to UTF-16.
  const text = fc.array(fc.constantFrom('a', 'b', '_', '.', '+', '(', '\\', '$', '^', '*', '?', 'é', '😀', '\n', ''), { maxLength: 8 }).map((parts) => parts.join(''));

  it('answers as the rule\'s compiled pattern does, asked once or again (a name as a string, a glob remembered)', () => {
    fc.assert(
      fc.property(text, fc.array(text, { minLength: 1, maxLength: 6 }), (tool, names) => {
        const rule = ruleFor(tool);
        for (const name of [...names, ...names]) expect(ruleCoversTool(rule, name)).toBe(rule.toolPattern.testExact(name));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps answering correctly past the bound on remembered names', () => {
    const rule = ruleFor('tool_*');
    for (let i = 0; i < 10_050; i++) expect(ruleCoversTool(rule, i % 2 ? `tool_${i}` : `other_${i}`)).toBe(i % 2 === 1);
    expect(ruleCoversTool(rule, 'tool_')).toBe(true);
    expect(ruleCoversTool(rule, 'Tool_x')).toBe(false);
  });
});
