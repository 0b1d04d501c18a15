import { fileURLToPath } from 'node:url';
import { parsePolicy } from '../../src/policy/load.js';
import type { Policy } from '../../src/policy/types.js';

export const POLICY_FIXTURES = fileURLToPath(new URL('../../fixtures/policies/', import.meta.url));

/** A policy from inline YAML; the file name only labels error locations. */
export function policyFrom(yaml: string, file = 'inline.yaml'): Policy {
  return parsePolicy(yaml, file);
}
