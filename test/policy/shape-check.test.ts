import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POLICY_SCHEMA } from '../../src/policy/schema.js';
import { isValidPolicyShape } from '../../src/policy/shape-check.js';

const validate = new Ajv({ strict: true }).compile(POLICY_SCHEMA);

// Values near the schema: right and wrong types, known and unknown keys, so both sides get exercised.
const action = fc.constantFrom('allow', 'deny', 'approve', 'log', 'block', 1, null);
const text = fc.oneof(fc.constantFrom('', 'x', 'add_*', '30/minute', '0/minute', '5/day', '😀'.repeat(600)), fc.string({ maxLength: 8 }));
const matcher = fc.oneof(
  text,
  fc.record({ regex: text }),
  fc.record({ preset: fc.constantFrom('path-traversal', 'shell-metacharacters', 'sql-ddl', 'xss') }),
  fc.record({ regex: text, preset: fc.constant('sql-ddl') }),
  fc.constant(3),
);
const rule = fc.record(
  {
    tool: fc.oneof(text, fc.constant(7)),
    action,
    reason: fc.oneof(text, fc.constant(false)),
    match: fc.oneof(fc.dictionary(fc.constantFrom('a', 'b.c', '$'), matcher, { maxKeys: 3 }), fc.constant([])),
    rate: fc.oneof(text, fc.constant('30/minute')),
    extra: fc.constant(true),
  },
  { requiredKeys: [] },
);
const server = fc.record(
  {
    preset: fc.constantFrom('read-only', 'approve-writes', 'write-only'),
    default: action,
    rules: fc.oneof(fc.array(rule, { maxLength: 3 }), fc.constant({})),
    other: fc.constant(1),
  },
  { requiredKeys: [] },
);
const policy = fc.record(
  {
    $schema: fc.oneof(text, fc.constant(2)),
    version: fc.constantFrom(1, 2, '1'),
    default: action,
    servers: fc.oneof(fc.dictionary(fc.constantFrom('notes', 'git'), server, { maxKeys: 2 }), fc.constant([])),
    typo: fc.constant('x'),
  },
  { requiredKeys: [] },
);

describe('isValidPolicyShape', () => {
  it('never accepts what the JSON Schema rejects, and agrees on most inputs', () => {
    let agreed = 0;
    let accepted = 0;
    fc.assert(
      fc.property(policy, (value) => {
        const fast = isValidPolicyShape(value);
        const schema = validate(value);
        if (fast) expect(schema).toBe(true);
        if (fast === schema) agreed++;
        if (fast) accepted++;
      }),
      { numRuns: 3000 },
    );
    // The fast path must actually be taken for valid policies, or it saves nothing.
    expect(accepted).toBeGreaterThan(0);
    expect(agreed).toBe(3000);
  });
});
