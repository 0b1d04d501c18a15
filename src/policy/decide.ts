// decide(): the pure policy decision for one tool call (design §4). No state, no I/O, no clock of its
// own; rate limits come back as charges for the caller to apply (rate-limit.ts). It never throws: an
// internal error is a deny (fail closed).

import { canonicalArgumentText, isGlob, isMissing, valueAtPath } from './arguments.js';
import {
  POLICY_ACTIONS,
  isStricter,
  type DecisionSource,
  type Policy,
  type PolicyAction,
  type PolicyCall,
  type PolicyDecision,
  type PolicyRule,
  type PolicySet,
  type RateCharge,
  type ServerPolicy,
} from './types.js';
import { classifyToolName } from './write-words.js';

export const FAIL_CLOSED_REASON = 'mcp-guard could not evaluate its policy for this call, so it was denied';

/** Decide a call under one policy or a set of layered policies (strictest layer wins). */
export function decide(policy: Policy | PolicySet, call: PolicyCall): PolicyDecision {
  try {
    const layers = 'layers' in policy ? policy.layers : [policy];
    let decision: PolicyDecision | undefined;
    const rates: RateCharge[] = [];
    for (const layer of layers) {
      const next = decideInLayer(layer, call);
      if (next.rates) rates.push(...next.rates);
      if (!decision || outranks(next, decision)) decision = next;
    }
    if (!decision) return { action: 'allow', reason: 'no policy applies', source: 'default' };
    // Each layer's decision is a new object: one without limits is returned as it is (no copy per call).
    if (decision.rates === undefined && rates.length === 0) return decision;
    const { rates: _own, ...result } = decision;
    // Every layer's limits bind, whichever layer decided; a denied call charges none.
    if (result.action !== 'deny' && rates.length > 0) return { ...result, rates };
    return result;
  } catch {
    return { action: 'deny', reason: FAIL_CLOSED_REASON, source: 'error' };
  }
}

const SOURCE_WEIGHT: Record<DecisionSource, number> = {
  error: 5,
  'rate-limit': 4,
  rule: 3,
  preset: 2,
  'server-default': 1,
  default: 0,
};

/** Stricter action wins; on a tie the more specific source explains it best; then the earlier layer. */
function outranks(candidate: PolicyDecision, current: PolicyDecision): boolean {
  if (candidate.action !== current.action) return isStricter(candidate.action, current.action);
  return SOURCE_WEIGHT[candidate.source] > SOURCE_WEIGHT[current.source];
}

function decideInLayer(policy: Policy, call: PolicyCall): PolicyDecision {
  if (!POLICY_ACTIONS.includes(policy.default)) throw new Error('invalid default');
  const server = policy.servers.get(call.server);
  if (!server) {
    return { action: policy.default, reason: describeDefault(policy.default, 'the policy default'), source: 'default', policyFile: policy.file };
  }
  for (const rule of server.rules) {
    if (!ruleMatches(rule, call)) continue;
    const decision: PolicyDecision = {
      action: rule.action,
      reason: ruleReason(rule, server, call.tool),
      source: 'rule',
      ruleIndex: rule.index,
      policyFile: policy.file,
      line: rule.location.line,
    };
    if (rule.rate) {
      decision.rates = [
        {
          key: JSON.stringify([policy.file, call.server, rule.index, call.tool]),
          rate: rule.rate,
          location: rule.location,
        },
      ];
    }
    return decision;
  }
  if (server.preset) {
    const { isWrite, because } = classifyToolName(call.tool);
    const action: PolicyAction = !isWrite ? 'allow' : server.preset === 'read-only' ? 'deny' : 'approve';
    const reason = isWrite
      ? `"${call.tool}" is treated as a write tool (${because ?? 'by name'}) and server "${call.server}" is ${server.preset === 'read-only' ? 'read-only' : 'set to approve writes'} by policy`
      : `"${call.tool}" is treated as a read tool by the ${server.preset} preset`;
    return { action, reason, source: 'preset', policyFile: policy.file, line: server.location.line };
  }
  if (server.default) {
    return {
      action: server.default,
      reason: describeDefault(server.default, `the default for server "${call.server}"`),
      source: 'server-default',
      policyFile: policy.file,
      line: server.location.line,
    };
  }
  return { action: policy.default, reason: describeDefault(policy.default, 'the policy default'), source: 'default', policyFile: policy.file };
}

/**
 * Whether a rule's tool name or glob covers a tool. Every call walks the server's rules in order, so
 * with a regex run per rule a long policy cost microseconds per call: a plain name is compared as a
 * string (its pattern matches exactly that string), and a glob's answer per tool name is remembered.
 */
export function ruleCoversTool(rule: PolicyRule, tool: string): boolean {
  if (!isGlob(rule.tool)) return rule.tool === tool;
  let known = globAnswers.get(rule);
  if (!known) {
    known = new Map();
    globAnswers.set(rule, known);
  }
  let answer = known.get(tool);
  if (answer === undefined) {
    answer = rule.toolPattern.testExact(tool);
    // Bounds memory against a server that invents names; real servers have tens of tools.
    if (known.size >= GLOB_ANSWERS_LIMIT) known.clear();
    known.set(tool, answer);
  }
  return answer;
}

const GLOB_ANSWERS_LIMIT = 10_000;
const globAnswers = new WeakMap<PolicyRule, Map<string, boolean>>();

function ruleMatches(rule: PolicyRule, call: PolicyCall): boolean {
  if (!ruleCoversTool(rule, call.tool)) return false;
  const args = call.arguments === undefined ? {} : call.arguments;
  for (const matcher of rule.match) {
    const value = valueAtPath(args, matcher.path);
    if (isMissing(value)) return false;
    if (!matcher.regex.test(canonicalArgumentText(value))) return false;
  }
  return true;
}

const VERBS: Record<PolicyAction, string> = {
  allow: 'allowed',
  log: 'allowed and logged',
  approve: 'held for approval',
  deny: 'denied',
};

function ruleReason(rule: PolicyRule, server: ServerPolicy, tool: string): string {
  if (rule.reason) return rule.reason;
  const conditions = rule.match.length > 0 ? ` for these arguments` : '';
  return `calls to "${tool}" on server "${server.name}" are ${VERBS[rule.action]}${conditions} by policy rule ${rule.index + 1}`;
}

function describeDefault(action: PolicyAction, what: string): string {
  return `${VERBS[action]} by ${what}`;
}
