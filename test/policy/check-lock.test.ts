import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPolicyAgainstLock, schemaHasPath, type LockedTools } from '../../src/policy/check-lock.js';
import { parsePolicy, readPolicy } from '../../src/policy/load.js';
import { readLock } from '../../src/lock/lock-file.js';
import { POLICY_FIXTURES } from './helpers.js';

const lock: LockedTools = (await readLock(join(POLICY_FIXTURES, 'notes.mcp.lock')))!;

describe('checkPolicyAgainstLock', () => {
  it('accepts rules whose tools and argument paths exist (nested, $ref, arrays, anyOf, $)', async () => {
    const policy = await readPolicy(join(POLICY_FIXTURES, 'lock-checked.yaml'));
    expect(checkPolicyAgainstLock(policy, lock)).toEqual([]);
  });

  it('names every rule that cannot match, with its line', async () => {
    const policy = await readPolicy(join(POLICY_FIXTURES, 'lock-broken.yaml'));
    const problems = checkPolicyAgainstLock(policy, lock).map((problem) => [problem.location.line, problem.message]);
    expect(problems).toEqual([
      [5, 'tool "read_note" does not exist on server "notes" in the lock'],
      [9, 'argument "foldr" does not exist in the locked input schema of tool "read_notes"'],
      [11, 'tool pattern "delete_*" matches no tool on server "notes" in the lock'],
      [15, 'argument "title" does not exist in the locked input schema of tool "add_tag" (matched by "add_*")'],
      [17, 'server "ghost" is not in the lock'],
    ]);
  });
});

describe('against the reference servers’ real lock', async () => {
  const reference = (await readLock(join(POLICY_FIXTURES, '..', 'locks', 'reference-servers.mcp.lock')))!;
  const policyAt = (yaml: string) => parsePolicy(yaml, 'p.yaml');

  it('accepts rules on real tools and arguments', () => {
    const policy = policyAt(`version: 1
servers:
  filesystem:
    preset: read-only
    rules:
      - tool: "read_*file"
        match: { path: { preset: path-traversal } }
        action: deny
      - tool: move_file
        match: { destination: "^/tmp/" }
        action: approve
  everything:
    rules:
      - tool: echo
        match: { message: "secret" }
        action: log
`);
    expect(checkPolicyAgainstLock(policy, reference)).toEqual([]);
  });

  it('rejects a glob whose argument exists on only some of its tools', () => {
    const policy = policyAt(`version: 1
servers:
  filesystem:
    rules:
      - tool: "read_*"
        match: { path: { preset: path-traversal } }
        action: deny
`);
    expect(checkPolicyAgainstLock(policy, reference).map((problem) => problem.message)).toEqual([
      'argument "path" does not exist in the locked input schema of tool "read_multiple_files" (matched by "read_*")',
    ]);
  });
});

describe('schemaHasPath', () => {
  const closed = { type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'string' } } } } };
  it.each([
    [closed, ['a'], true],
    [closed, ['a', 'b'], true],
    [closed, ['a', 'c'], false],
    [closed, ['z'], false],
    [closed, ['a', 'b', 'c'], false],
    [{ type: 'object' }, ['anything'], true],
    [{ type: 'object', additionalProperties: false }, ['x'], false],
    [{ type: 'object', additionalProperties: { type: 'object', properties: { v: {} } } }, ['key', 'v'], true],
    [{ type: 'object', additionalProperties: { type: 'object', properties: { v: {} } } }, ['key', 'w'], false],
    [{ type: 'object', properties: { list: { type: 'array', items: { type: 'string' } } } }, ['list', '3'], true],
    [{ type: 'object', properties: { list: { type: 'array', items: { type: 'string' } } } }, ['list', 'x'], false],
    [{ type: 'object', properties: { s: { type: 'string' } } }, ['s', 'length'], false],
    [{ $ref: '#/$defs/loop', $defs: { loop: { $ref: '#/$defs/loop' } } }, ['x'], false],
    [{ oneOf: [{ properties: { a: {} } }, { properties: { b: {} } }] }, ['b'], true],
    [{ oneOf: [{ properties: { a: {} } }, { properties: { b: {} } }] }, ['c'], false],
  ])('%j has %j → %s', (schema, path, expected) => {
    expect(schemaHasPath(schema as never, path)).toBe(expected);
  });
});
