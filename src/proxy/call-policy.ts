// The policy as the relay sees it, for one server: a verdict per tools/call that passed the lock, and
// which tools to leave out of tools/list because no arguments could ever make a call to them run.

import { ruleCoversTool } from '../policy/decide.js';
import { createPolicyGate } from '../policy/gate.js';
import type { Policy, PolicyDecision, PolicySet } from '../policy/types.js';
import { classifyToolName } from '../policy/write-words.js';

export interface CallPolicy {
  /** Never throws: an internal error is a deny (createPolicyGate). Charges rate limits. */
  evaluate(tool: string, args: unknown, now: number): PolicyDecision;
  /** True when every call to the tool is denied whatever its arguments. */
  hides(tool: string): boolean;
}

/** Far above any real server's tool count; only bounds memory against a server that invents names. */
const HIDE_CACHE_LIMIT = 10_000;

export function createCallPolicy(set: PolicySet, server: string): CallPolicy {
  const gate = createPolicyGate(set);
  const hidden = new Map<string, boolean>();
  return {
    evaluate: (tool, args, now) => gate.evaluate({ server, tool, arguments: args, now }),
    hides(tool) {
      let answer = hidden.get(tool);
      if (answer === undefined) {
        try {
          answer = set.layers.some((layer) => layerAlwaysDenies(layer, server, tool));
        } catch {
          // Showing a tool is harmless: its calls are still judged one by one (and fail closed there).
          answer = false;
        }
        if (hidden.size >= HIDE_CACHE_LIMIT) hidden.clear();
        hidden.set(tool, answer);
      }
      return answer;
    },
  };
}

/**
 * Walks one layer the way decide() does, without arguments: a rule with argument matchers may or may
 * not match, so it only settles the question when it denies too (then the walk goes on). Layers
 * combine strictest-wins, so one layer that always denies is enough.
 */
function layerAlwaysDenies(policy: Policy, server: string, tool: string): boolean {
  const entry = policy.servers.get(server);
  if (!entry) return policy.default === 'deny';
  for (const rule of entry.rules) {
    if (!ruleCoversTool(rule, tool)) continue;
    if (rule.match.length === 0) return rule.action === 'deny';
    if (rule.action !== 'deny') return false;
  }
  if (entry.preset) return entry.preset === 'read-only' && classifyToolName(tool).isWrite;
  return (entry.default ?? policy.default) === 'deny';
}
