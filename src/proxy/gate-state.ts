// What the proxy has learnt about the upstream in this session, turned into verdicts against the lock.
// Every listing the server sends (the client's pages and the proxy's own full listings) passes through
// observe(); decide() (gate.ts) then reads only the resulting GateView.

import { nameSkeleton } from '../lock/confusables.js';
import type { DriftReason, EntityKind, JsonObject } from '../model.js';
import { isListable, type DriftSummary, type GateView, type Verdict } from './gate.js';

/** The lock entry of one server, reduced to what the gate needs. Entities stay opaque to the gate. */
export interface LockedServerView<Locked = unknown> {
  instructions: string | undefined;
  entities: Record<EntityKind, ReadonlyMap<string, Locked>>;
}

/** The shared drift classifier (src/lock/drift.ts); a reason with `blocking: true` means drifted. */
export type EntityClassifier<Locked = unknown> = (
  kind: EntityKind,
  name: string,
  locked: Locked,
  current: JsonObject,
) => DriftReason[];

export interface DriftEvent {
  event: 'drift';
  time: string;
  server: string;
  entity: EntityKind | 'instructions';
  name: string;
  status: Exclude<Verdict['status'], 'ok'> | 'instructions-changed';
  changes?: DriftSummary[];
  imitates?: string;
  /** What the proxy did: `blocked`, or `reported` in learning mode. */
  action: 'blocked' | 'reported';
}

const KEY_FIELD: Record<EntityKind, string> = {
  tool: 'name',
  prompt: 'name',
  resource: 'uri',
  resourceTemplate: 'uriTemplate',
};

export function entityKey(kind: EntityKind, item: unknown): string | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const key = (item as Record<string, unknown>)[KEY_FIELD[kind]];
  return typeof key === 'string' ? key : undefined;
}

/** The part of a GateState the relay uses; independent of the lock's entity type. */
export type GateSession = Pick<
  GateState,
  | 'mode'
  | 'observe'
  | 'filter'
  | 'markToolsStale'
  | 'finishToolsRecheck'
  | 'beginInstructionsCheck'
  | 'instructionsUnreadable'
  | 'checkInstructions'
  | 'view'
>;

export class GateState<Locked = unknown> {
  private readonly verdicts: Record<EntityKind, Map<string, Verdict>> = {
    tool: new Map(),
    prompt: new Map(),
    resource: new Map(),
    resourceTemplate: new Map(),
  };
  private readonly skeletons: Map<string, string>;
  private toolsStale = true;
  private recheckFailed = false;
  private sessionBlock: string | undefined;
  /** The proxy asked for the instructions itself and has no answer yet: gated requests wait for it. */
  private instructionsPending = false;
  /** The proxy could not read the instructions to compare them: gated requests are refused until it can. */
  private instructionsBlock: string | undefined;
  private cachedView: GateView | undefined;

  constructor(
    private readonly server: string,
    private readonly lock: LockedServerView<Locked>,
    private readonly classify: EntityClassifier<Locked>,
    readonly mode: GateView['mode'],
    private readonly emit: (event: DriftEvent) => void,
  ) {
    this.skeletons = new Map();
    for (const kind of ['tool', 'prompt'] as const) {
      for (const name of lock.entities[kind].keys()) this.skeletons.set(`${kind}:${nameSkeleton(name)}`, name);
    }
  }

  /**
   * Records definitions the server sent. `complete` means every page of the listing: locked entities it
   * lacks become `removed`. A single client page only updates the entities it carries.
   */
  observe(kind: EntityKind, items: readonly unknown[], complete: boolean): void {
    const verdicts = this.verdicts[kind];
    const fresh = new Map<string, Verdict>();
    const ambiguous = new Set<string>();
    for (const item of items) {
      const key = entityKey(kind, item);
      if (key === undefined) continue;
      if (fresh.has(key) || ambiguous.has(key)) {
        // Two definitions under one name: the client would see both and the server run either, so a
        // benign twin must not vouch for the other. Both are blocked.
        ambiguous.add(key);
        fresh.set(key, { status: 'drifted', changes: [{ field: KEY_FIELD[kind], kind: 'listed-twice' }] });
        continue;
      }
      fresh.set(key, this.judge(kind, key, item as JsonObject));
    }
    if (complete) {
      for (const name of this.lock.entities[kind].keys()) {
        if (!fresh.has(name)) fresh.set(name, { status: 'removed' });
      }
      for (const [key, verdict] of fresh) this.report(kind, key, verdicts.get(key), verdict);
      verdicts.clear();
    } else {
      for (const [key, verdict] of fresh) this.report(kind, key, verdicts.get(key), verdict);
    }
    for (const [key, verdict] of fresh) verdicts.set(key, verdict);
    this.cachedView = undefined;
  }

  /** Splits one page into what the client may see and what it must not. */
  filter(kind: EntityKind, items: readonly unknown[]): { kept: unknown[]; dropped: number } {
    const kept: unknown[] = [];
    let dropped = 0;
    for (const item of items) {
      const key = entityKey(kind, item);
      const verdict = key === undefined ? undefined : this.verdicts[kind].get(key);
      if (verdict && isListable(verdict, this.mode) && !((this.sessionBlock ?? this.instructionsBlock) && this.mode === 'enforce')) {
        kept.push(item);
      } else {
        dropped++;
      }
    }
    return { kept, dropped };
  }

  markToolsStale(): void {
    this.toolsStale = true;
    this.cachedView = undefined;
  }

  finishToolsRecheck(ok: boolean): void {
    this.toolsStale = false;
    this.recheckFailed = !ok;
    this.cachedView = undefined;
  }

  /** The proxy asked the server for its instructions itself; gated requests wait until they are compared. */
  beginInstructionsCheck(): void {
    this.instructionsPending = true;
    this.cachedView = undefined;
  }

  /**
   * The proxy's own request for the instructions failed (error, timeout, no such method). A client of the
   * 2026-07-28 revision reads them from server/discover, so what it reads was not compared with the lock:
   * fail closed until a later check succeeds.
   */
  instructionsUnreadable(): void {
    this.instructionsPending = false;
    this.cachedView = undefined;
    if (this.mode !== 'enforce') return;
    this.instructionsBlock =
      'the proxy could not read the server\'s instructions (server/discover failed) to compare them with mcp.lock, ' +
      'so its tools, prompts and resources are blocked until it can.';
  }

  /**
   * Compares the instructions the server sent with the locked text. Returns the text the client should
   * receive: the locked one when they differ (undefined = remove the field), the received one otherwise.
   */
  checkInstructions(received: unknown): { drifted: boolean; text: string | undefined } {
    this.instructionsPending = false;
    this.instructionsBlock = undefined;
    this.cachedView = undefined;
    const locked = this.lock.instructions;
    const sent = typeof received === 'string' ? received : undefined;
    const wellFormed = received === undefined || sent !== undefined;
    // Absent and empty instructions read the same to a model; anything else must match the lock exactly.
    if (wellFormed && (sent ?? '') === (locked ?? '')) {
      return { drifted: false, text: sent };
    }
    this.emit({
      event: 'drift',
      time: new Date().toISOString(),
      server: this.server,
      entity: 'instructions',
      name: '',
      status: 'instructions-changed',
      action: this.mode === 'learn' ? 'reported' : 'blocked',
    });
    if (this.mode === 'enforce') {
      this.sessionBlock =
        'the server\'s instructions changed since they were locked in mcp.lock, so all of its tools are blocked for this session. ' +
        'A person must review the change (`mcp-guard diff`) and accept it (`mcp-guard lock --server NAME`).';
      this.cachedView = undefined;
      return { drifted: true, text: locked };
    }
    return { drifted: true, text: sent };
  }

  view(): GateView {
    if (this.cachedView) return this.cachedView;
    const templates: ((uri: string) => boolean)[] = [];
    for (const template of this.lock.entities.resourceTemplate.keys()) {
      const seen = this.verdicts.resourceTemplate.get(template);
      if (seen === undefined || seen.status === 'ok') templates.push(templateMatcher(template));
    }
    const sessionBlock = this.sessionBlock ?? this.instructionsBlock;
    this.cachedView = {
      mode: this.mode,
      ...(sessionBlock ? { sessionBlock } : {}),
      ...(this.instructionsPending ? { instructionsPending: true } : {}),
      toolsStale: this.toolsStale,
      recheckFailed: this.recheckFailed,
      tools: this.verdicts.tool,
      prompts: this.verdicts.prompt,
      resources: this.verdicts.resource,
      resourceTemplates: templates,
      lockedPrompts: new Set(this.lock.entities.prompt.keys()),
      lockedResources: new Set(this.lock.entities.resource.keys()),
    };
    return this.cachedView;
  }

  private judge(kind: EntityKind, key: string, item: JsonObject): Verdict {
    const locked = this.lock.entities[kind].get(key);
    if (locked === undefined) {
      const imitates = kind === 'tool' || kind === 'prompt' ? this.skeletons.get(`${kind}:${nameSkeleton(key)}`) : undefined;
      return imitates !== undefined ? { status: 'look-alike', imitates } : { status: 'unknown' };
    }
    try {
      const blocking = this.classify(kind, key, locked, item).filter((reason) => reason.blocking);
      if (blocking.length === 0) return { status: 'ok' };
      return { status: 'drifted', changes: blocking.map(summarize) };
    } catch {
      // Fail closed: a definition we cannot classify is treated as drifted.
      return { status: 'drifted', changes: [{ field: 'definition', kind: 'could-not-check' }] };
    }
  }

  private report(kind: EntityKind, key: string, before: Verdict | undefined, after: Verdict): void {
    if (after.status === 'ok') return;
    if (before && sameVerdict(before, after)) return;
    this.emit({
      event: 'drift',
      time: new Date().toISOString(),
      server: this.server,
      entity: kind,
      name: key,
      status: after.status,
      ...(after.status === 'drifted' ? { changes: after.changes } : {}),
      ...(after.status === 'look-alike' ? { imitates: after.imitates } : {}),
      action: this.mode === 'learn' ? 'reported' : 'blocked',
    });
  }
}

/**
 * Only the top-level field and the classifier's kind: nested paths can carry attacker-chosen names
 * (`inputSchema.properties.<anything>`), and the reason goes into the model's context.
 */
function summarize(reason: DriftReason): DriftSummary {
  const top = /^[A-Za-z_$][\w$]*/.exec(reason.field)?.[0] ?? 'definition';
  return { field: top, kind: /^[a-z-]+$/.test(reason.kind) ? reason.kind : 'changed' };
}

function sameVerdict(a: Verdict, b: Verdict): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** RFC 6570 templates (levels 1–3, as MCP servers use them) to a whole-URI matcher. */
export function templateMatcher(template: string): (uri: string) => boolean {
  let pattern = '';
  let last = 0;
  for (const match of template.matchAll(/\{([^}]*)\}/g)) {
    pattern += escapeRegExp(template.slice(last, match.index));
    const op = match[1]?.[0];
    if (op === '+' || op === '#') pattern += '.*';
    else if (op === '?' || op === '&') pattern += '(?:[?&][^#]*)?';
    else pattern += '[^/?#]*';
    last = (match.index ?? 0) + match[0].length;
  }
  pattern += escapeRegExp(template.slice(last));
  const regex = new RegExp(`^${pattern}$`, 's');
  return (uri) => regex.test(uri);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
