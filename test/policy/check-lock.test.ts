import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPolicyAgainstLock, schemaHasPath, type LockedTools } from '../../src/policy/check-lock.js';
import { readPolicy } from '../../src/policy/load.js';
import { POLICY_FIXTURES } from './helpers.js';

const lock = JSON.parse(await readFile(join(POLICY_FIXTURES, 'notes.lock.json'), 'utf8')) as LockedTools;

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
