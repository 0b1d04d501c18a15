// A code check is a rule that a pattern list cannot express (hidden characters, cross-server shadowing,
// annotation mismatches). Each lives in its own module under checks/, declares its metadata once and carries
// its own must-match / must-not-match examples, like the YAML rules (house style: arethetypeswrong, zizmor).

import type { RuleMeta } from '../findings/finding.js';
import type { Confidence, JsonObject, ServerSnapshot, Severity } from '../model.js';
import type { EntityView, TextSurface } from './surfaces.js';

export interface DefinitionRuleMeta extends RuleMeta {
  references: string[];
  /**
   * When set, a hit is a weak signal: it is reported at `severity` alone, and raised to this severity when
   * the same entity also trips another rule (house rule: two independent soft signals, not one keyword).
   */
  combinedSeverity?: Severity;
}

/** One thing a rule found, before ignores and signal combination turn it into a Finding. */
export interface RuleHit {
  ruleId: string;
  entity: EntityView;
  field: string;
  /** Values for the rule's message template; the engine escapes them before display. */
  args: Record<string, string>;
  /** Already escaped for display (use excerpt()/escapeForDisplay()). */
  evidence: string;
  discriminator: string;
  severity?: Severity;
  confidence?: Confidence;
  /** A phrase quoted as an example of an attack (a security tool describing what it flags). */
  quotedMention?: boolean;
}

export interface PhraseScan {
  ruleId: string;
  severity: Severity;
  match: string;
  evidence: string;
}

export interface CheckContext {
  snapshots: readonly ServerSnapshot[];
  entities: readonly EntityView[];
  /** Tool name → servers exposing it, over every snapshot analysed together. */
  toolServers: ReadonlyMap<string, ReadonlySet<string>>;
  /** Run the phrase rules on a piece of text a check uncovered (decoded base64, Unicode tag payloads). */
  scanPhrases(text: string, surface: TextSurface): PhraseScan[];
}

/** A check example: one server's definitions, or several servers for cross-server checks. */
export type CheckExample =
  | { tool: JsonObject; note?: string }
  | { servers: Record<string, { tools?: JsonObject[]; prompts?: JsonObject[]; instructions?: string }>; note?: string };

export interface DefinitionCheck {
  meta: DefinitionRuleMeta;
  examples: { match: CheckExample[]; noMatch: CheckExample[] };
  /** Message template with `{{placeholders}}` filled from RuleHit.args plus `entity` and `field`. */
  message: string;
  run(context: CheckContext): RuleHit[];
}

export function defineCheck(check: DefinitionCheck): DefinitionCheck {
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(check.meta.id)) throw new Error(`invalid check id "${check.meta.id}"`);
  if (check.examples.match.length === 0 || check.examples.noMatch.length === 0) {
    throw new Error(`check ${check.meta.id} needs match and no-match examples`);
  }
  return check;
}
