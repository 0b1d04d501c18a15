// Rate limits as a pure function of (state, charges, now) → (verdict, new state): a generic cell rate
// algorithm (GCRA). `N/minute` admits a burst of N and then one call every minute/N, with O(1) state
// per key and no timers. The clock is the caller's, so tests and the proxy agree on time.

import type { PolicyDecision, RateCharge } from './types.js';

/** Theoretical arrival time per key; a key whose time has passed is equivalent to a fresh one. */
export type RateState = ReadonlyMap<string, number>;

export const EMPTY_RATE_STATE: RateState = new Map();

export type RateVerdict =
  | { allowed: true; state: RateState }
  | { allowed: false; state: RateState; charge: RateCharge; retryAfterMs: number };

/** All charges are admitted together or none is, so a refused call uses up no other limit. */
export function takeRate(state: RateState, charges: readonly RateCharge[], now: number): RateVerdict {
  const updates = new Map<string, number>();
  for (const charge of charges) {
    const interval = charge.rate.periodMs / charge.rate.count;
    const tolerance = charge.rate.periodMs - interval;
    const previous = updates.get(charge.key) ?? state.get(charge.key) ?? now;
    const arrival = Math.max(previous, now);
    if (arrival - now > tolerance) {
      return { allowed: false, state, charge, retryAfterMs: Math.ceil(arrival - now - tolerance) };
    }
    updates.set(charge.key, arrival + interval);
  }
  if (updates.size === 0) return { allowed: true, state };
  const next = new Map<string, number>();
  for (const [key, arrival] of state) if (arrival > now) next.set(key, arrival);
  for (const [key, arrival] of updates) next.set(key, arrival);
  return { allowed: true, state: next };
}

/** The one mutable holder, for a long-running gate; the arithmetic stays in takeRate. */
export class RateLimiter {
  #state: RateState = EMPTY_RATE_STATE;

  /** Returns the decision, turned into a deny when a limit is exhausted; charges only calls that go ahead. */
  apply(decision: PolicyDecision, now: number): PolicyDecision {
    if (decision.action === 'deny' || !decision.rates || decision.rates.length === 0) return decision;
    const verdict = takeRate(this.#state, decision.rates, now);
    this.#state = verdict.state;
    if (verdict.allowed) return decision;
    const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
    return {
      action: 'deny',
      reason: `rate limit ${verdict.charge.rate.text} reached for this tool; try again in ${seconds} s`,
      source: 'rate-limit',
      policyFile: verdict.charge.location.file,
      line: verdict.charge.location.line,
    };
  }
}
