// What the proxy holds: a policy set plus the rate-limit state, answering one call at a time.

import { decide, FAIL_CLOSED_REASON } from './decide.js';
import { RateLimiter } from './rate-limit.js';
import type { Policy, PolicyCall, PolicyDecision, PolicySet } from './types.js';

export interface PolicyGate {
  /** Never throws; an internal error is a deny. */
  evaluate(call: PolicyCall): PolicyDecision;
}

export function createPolicyGate(policy: Policy | PolicySet): PolicyGate {
  const limiter = new RateLimiter();
  return {
    evaluate(call) {
      try {
        return limiter.apply(decide(policy, call), call.now);
      } catch {
        return { action: 'deny', reason: FAIL_CLOSED_REASON, source: 'error' };
      }
    },
  };
}
