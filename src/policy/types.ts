import type { RE2JS } from 're2js';

/** Ordered from least to most strict: merging keeps the later of two actions (design §4). */
export const POLICY_ACTIONS = ['allow', 'log', 'approve', 'deny'] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

export const POLICY_PRESETS = ['read-only', 'approve-writes'] as const;
export type PolicyPreset = (typeof POLICY_PRESETS)[number];

export const ARGUMENT_PRESETS = ['path-traversal', 'shell-metacharacters', 'sql-ddl'] as const;
export type ArgumentPresetName = (typeof ARGUMENT_PRESETS)[number];

export const RATE_UNITS = { second: 1_000, minute: 60_000, hour: 3_600_000 } as const;
export type RateUnit = keyof typeof RATE_UNITS;

/** Where a policy element was written, for error messages and audit records. */
export interface PolicyLocation {
  file: string;
  line: number;
  column: number;
}

export interface RateSpec {
  count: number;
  unit: RateUnit;
  periodMs: number;
  /** As written, e.g. `30/minute`. */
  text: string;
}

export interface ArgumentMatcher {
  /** As written in the policy: `folder`, `options.mode`, or `$` for the whole arguments object. */
  pathText: string;
  /** Segments of the path; empty for `$`. */
  path: string[];
  /** The regex source as written, or the preset name. */
  pattern: string;
  preset?: ArgumentPresetName;
  regex: RE2JS;
  location: PolicyLocation;
}

export interface PolicyRule {
  /** Position in the server's `rules` list (0-based). */
  index: number;
  /** Tool name or glob (`*` any run of characters, `?` one character). */
  tool: string;
  toolPattern: RE2JS;
  /** All must match (logical AND). */
  match: ArgumentMatcher[];
  action: PolicyAction;
  reason?: string;
  rate?: RateSpec;
  location: PolicyLocation;
}

export interface ServerPolicy {
  name: string;
  preset?: PolicyPreset;
  default?: PolicyAction;
  rules: PolicyRule[];
  location: PolicyLocation;
}

/** One policy file, validated and compiled. */
export interface Policy {
  file: string;
  version: 1;
  default: PolicyAction;
  servers: ReadonlyMap<string, ServerPolicy>;
}

/**
 * Policies in force together. Every layer is evaluated and the strictest decision wins, so adding a
 * layer (a project policy on top of the user's) can only tighten.
 */
export interface PolicySet {
  layers: readonly Policy[];
}

export interface PolicyCall {
  server: string;
  tool: string;
  arguments?: unknown;
  /** Milliseconds since the epoch; only rate limits use it. */
  now: number;
}

export type DecisionSource = 'rule' | 'preset' | 'server-default' | 'default' | 'rate-limit' | 'error';

/** A rate limit the decision depends on; the caller charges it (decide itself keeps no state). */
export interface RateCharge {
  key: string;
  rate: RateSpec;
  location: PolicyLocation;
}

export interface PolicyDecision {
  action: PolicyAction;
  /** Safe to show to the model: never contains argument values. */
  reason: string;
  source: DecisionSource;
  /** Index of the deciding rule in its server's `rules`, when a rule decided. */
  ruleIndex?: number;
  /** The policy file whose layer decided. */
  policyFile?: string;
  /** Line of the deciding rule or server entry. */
  line?: number;
  /** Rate limits that apply to this call when it goes ahead. */
  rates?: RateCharge[];
}

export function isStricter(a: PolicyAction, b: PolicyAction): boolean {
  return POLICY_ACTIONS.indexOf(a) > POLICY_ACTIONS.indexOf(b);
}

export function strictest(a: PolicyAction, b: PolicyAction): PolicyAction {
  return isStricter(b, a) ? b : a;
}
