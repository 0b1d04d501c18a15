import { describe, expect, it } from 'vitest';
import { decide } from '../../src/policy/decide.js';
import { createPolicyGate } from '../../src/policy/gate.js';
import { EMPTY_RATE_STATE, takeRate } from '../../src/policy/rate-limit.js';
import type { RateCharge } from '../../src/policy/types.js';
import { policyFrom } from './helpers.js';

const charge = (key: string, count: number, periodMs: number): RateCharge => ({
  key,
  rate: { count, unit: 'second', periodMs, text: `${count}/x` },
  location: { file: 'p.yaml', line: 1, column: 1 },
});

describe('takeRate (GCRA)', () => {
  it('admits a burst of N, then one call per period/N', () => {
    const limit = [charge('k', 3, 3000)];
    let state = EMPTY_RATE_STATE;
    for (let i = 0; i < 3; i++) {
      const verdict = takeRate(state, limit, 0);
      expect(verdict.allowed).toBe(true);
      state = verdict.state;
    }
    const refused = takeRate(state, limit, 0);
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 1000 });
    expect(takeRate(state, limit, 999).allowed).toBe(false);
    const later = takeRate(state, limit, 1000);
    expect(later.allowed).toBe(true);
    expect(takeRate(later.state, limit, 1000).allowed).toBe(false);
    // After a full quiet period the whole burst is available again.
    let fresh = later.state;
    for (let i = 0; i < 3; i++) {
      const verdict = takeRate(fresh, limit, 10_000);
      expect(verdict.allowed).toBe(true);
      fresh = verdict.state;
    }
  });

  it('is pure: the input state is never modified', () => {
    const first = takeRate(EMPTY_RATE_STATE, [charge('k', 1, 1000)], 0);
    expect(EMPTY_RATE_STATE.size).toBe(0);
    expect(takeRate(first.state, [charge('k', 1, 1000)], 0).allowed).toBe(false);
    expect(takeRate(first.state, [charge('k', 1, 1000)], 0).allowed).toBe(false);
  });

  it('admits all charges or none', () => {
    const loose = charge('loose', 10, 1000);
    const tight = charge('tight', 1, 1000);
    const afterOne = takeRate(EMPTY_RATE_STATE, [loose, tight], 0);
    expect(afterOne.allowed).toBe(true);
    const refused = takeRate(afterOne.state, [loose, tight], 0);
    expect(refused).toMatchObject({ allowed: false, charge: { key: 'tight' } });
    // The refused call used up nothing of the loose limit: 9 more fit.
    let state = refused.state;
    for (let i = 0; i < 9; i++) {
      const verdict = takeRate(state, [loose], 0);
      expect(verdict.allowed).toBe(true);
      state = verdict.state;
    }
    expect(takeRate(state, [loose], 0).allowed).toBe(false);
  });

  it('forgets keys whose window has passed, so memory stays bounded', () => {
    let state = EMPTY_RATE_STATE;
    for (let i = 0; i < 100; i++) state = takeRate(state, [charge(`k${i}`, 1, 10)], i * 100).state;
    expect(state.size).toBe(1);
  });
});

describe('createPolicyGate', () => {
  const policy = policyFrom(`version: 1
servers:
  s:
    rules:
      - tool: "add_*"
        action: allow
        rate: 2/minute
`);

  it('limits each tool separately and turns the excess into a deny with a reason', () => {
    const gate = createPolicyGate(policy);
    const at = (tool: string, now: number) => gate.evaluate({ server: 's', tool, arguments: {}, now });
    expect(at('add_a', 0).action).toBe('allow');
    expect(at('add_a', 1).action).toBe('allow');
    const third = at('add_a', 2);
    expect(third).toMatchObject({ action: 'deny', source: 'rate-limit' });
    expect(third.reason).toMatch(/2\/minute/);
    expect(at('add_b', 3).action).toBe('allow');
    expect(at('add_a', 30_001).action).toBe('allow');
  });

  it('does not charge denied calls', () => {
    const denying = policyFrom(`version: 1
servers:
  s:
    rules:
      - tool: t
        match: { x: "^bad$" }
        action: deny
      - tool: t
        action: allow
        rate: 1/hour
`);
    const gate = createPolicyGate(denying);
    expect(gate.evaluate({ server: 's', tool: 't', arguments: { x: 'bad' }, now: 0 }).action).toBe('deny');
    expect(gate.evaluate({ server: 's', tool: 't', arguments: { x: 'ok' }, now: 0 }).action).toBe('allow');
    expect(decide(denying, { server: 's', tool: 't', arguments: { x: 'bad' }, now: 0 }).rates).toBeUndefined();
  });
});
