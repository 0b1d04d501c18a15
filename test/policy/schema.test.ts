import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { POLICY_SCHEMA } from '../../src/policy/schema.js';

describe('policy.schema.json', () => {
  it('is the schema the loader uses (regenerate it from src/policy/schema.ts when this fails)', async () => {
    const file = JSON.parse(await readFile(new URL('../../policy.schema.json', import.meta.url), 'utf8')) as unknown;
    expect(file).toEqual(POLICY_SCHEMA);
  });

  it('accepts the documented example and rejects a typo', async () => {
    const validate = new Ajv({ strict: true }).compile(POLICY_SCHEMA);
    const example = parse(await readFile(new URL('../../fixtures/policies/example.yaml', import.meta.url), 'utf8')) as unknown;
    expect(validate(example)).toBe(true);
    expect(validate({ version: 1, defualt: 'deny' })).toBe(false);
  });
});
