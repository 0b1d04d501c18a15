import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/policy/decide.js';
import { readPolicy } from '../../src/policy/load.js';
import { POLICY_ACTIONS, type PolicyAction } from '../../src/policy/types.js';
import { POLICY_FIXTURES, policyFrom } from './helpers.js';

const rank = (action: PolicyAction) => POLICY_ACTIONS.indexOf(action);
const call = (tool: string, args: unknown = {}) => ({ server: 'notes', tool, arguments: args, now: 0 });

describe('user policy + project policy', async () => {
  const user = await readPolicy(join(POLICY_FIXTURES, 'merge', 'user.yaml'));
  const project = await readPolicy(join(POLICY_FIXTURES, 'merge', 'project.yaml'));
  const both = { layers: [user, project] };

  it('a project allow cannot loosen a user deny, and the user reason is kept', () => {
    expect(decide(project, call('archive_note')).action).toBe('allow');
    expect(decide(both, call('archive_note'))).toMatchObject({
      action: 'deny',
      reason: 'the user never archives',
      policyFile: user.file,
    });
  });

  it('a project default deny tightens what the user allows by default', () => {
    expect(decide(user, call('export_all')).action).toBe('allow');
    expect(decide(both, call('export_all'))).toMatchObject({ action: 'deny', source: 'default', policyFile: project.file });
  });

  it('log beats allow, approve beats log', () => {
    expect(decide(both, call('read_notes'))).toMatchObject({ action: 'log', policyFile: project.file });
    expect(decide(both, call('add_note'))).toMatchObject({ action: 'approve', policyFile: project.file });
  });

  it('every layer’s rate limit binds, whichever layer decided', () => {
    const rates = decide(both, call('read_notes')).rates?.map((charge) => charge.rate.text).sort();
    expect(rates).toEqual(['100/hour', '2/minute']);
  });

  it('a denied call carries no rate charges', () => {
    expect(decide(both, call('archive_note')).rates).toBeUndefined();
  });
});

// Property: for any two policies and any call, the merged decision is exactly the strictest of the
// two layers' decisions, so it is never looser than either (the project can tighten, never loosen).
const actionArb = fc.constantFrom(...POLICY_ACTIONS);
const toolArb = fc.constantFrom('read_notes', 'add_note', 'delete_note', 'search', 'x');
const ruleArb = fc.record(
  {
    tool: fc.constantFrom('read_notes', 'add_*', '*_note', 'search', '*'),
    action: actionArb,
    match: fc.option(fc.constant({ q: '^a' }), { nil: undefined }),
  },
  { requiredKeys: ['tool', 'action'] },
);
const serverArb = fc.record(
  {
    preset: fc.constantFrom('read-only', 'approve-writes'),
    default: actionArb,
    rules: fc.array(ruleArb, { maxLength: 4 }),
  },
  { requiredKeys: [] },
);
const policyArb = fc.record(
  { version: fc.constant(1), default: actionArb, servers: fc.record({ notes: serverArb, other: serverArb }, { requiredKeys: [] }) },
  { requiredKeys: ['version'] },
);

describe('merge is "strictest wins"', () => {
  it('never loosens, for random policies and calls', () => {
    fc.assert(
      fc.property(
        policyArb,
        policyArb,
        toolArb,
        fc.constantFrom('notes', 'other', 'unnamed'),
        fc.constantFrom('abc', 'zzz'),
        (userRaw, projectRaw, tool, server, q) => {
          // JSON is YAML, so the loader (schema, compile) is exercised for real.
          const user = policyFrom(JSON.stringify(userRaw), 'user.yaml');
          const project = policyFrom(JSON.stringify(projectRaw), 'project.yaml');
          const request = { server, tool, arguments: { q }, now: 0 };
          const alone = [decide(user, request).action, decide(project, request).action];
          const merged = decide({ layers: [user, project] }, request).action;
          expect(rank(merged)).toBe(Math.max(...alone.map(rank)));
          const reversed = decide({ layers: [project, user] }, request).action;
          expect(reversed).toBe(merged);
        },
      ),
      { numRuns: 400 },
    );
  });
});
