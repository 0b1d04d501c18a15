// The enforcing relay: newline-delimited JSON-RPC between the client (our stdin/stdout) and an upstream.
// It is a raw relay on purpose (design §4): a message it has no reason to change is forwarded as the exact
// bytes received. It parses what it must to track ids and to gate tools/list, tools/call, prompts/*,
// resources/*, and it answers blocked requests itself so the upstream never sees them.

import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import type { ApprovalInput, ApprovalResult, ApprovalWaitOptions } from '../approvals/store.js';
import type { AuditDecision, AuditEntry } from '../audit/record.js';
import type { EntityKind } from '../model.js';
import type { PolicyDecision } from '../policy/types.js';
import type { ElicitationAnswer } from './approval-prompt.js';
import type { CallPolicy } from './call-policy.js';
import type { Upstream, UpstreamExit } from './child.js';
import { decide, type Decision, type GateRequest } from './gate.js';
import { entityKey, type GateSession } from './gate-state.js';
import { frame, LineFramer } from './framing.js';
import { hasDuplicateKey } from './json-check.js';

/** How the session is governed. `refuse` answers every request with an error (no usable lock). */
export type RelayGate =
  | { kind: 'enforce' | 'learn'; state: GateSession }
  | { kind: 'passthrough' }
  | { kind: 'refuse'; message: string };

export interface RelayOptions {
  clientIn: Readable;
  clientOut: Writable;
  gate: RelayGate;
  /** One human line to stderr. */
  log(message: string): void;
  /** A decision worth recording (a denied request, or one learning mode would deny), as plain data. */
  event?(record: DecisionEvent): void;
  /** How long a call may wait for a re-check of the tool list before it is denied. */
  holdTimeoutMs?: number;
  /** Quiet period after `notifications/tools/list_changed` before the proxy re-lists. */
  debounceMs?: number;
  /** Per request of the proxy's own listing. */
  listTimeoutMs?: number;
  /**
   * A server can change a tool without announcing it. After a tools/call is answered the proxy re-lists
   * (holding further calls until done) when its last listing ended at least this long ago, else once the
   * interval has passed. 0 re-lists after every call; the default trades a small window for throughput.
   */
  recheckAfterCallMs?: number;
  /** The server's name in the lock and the policy. */
  serverName?: string;
  /**
   * Judges each tools/call that passed the lock (design §4: lock first, then policy). It may still be
   * loading (while the server starts): initialize and tool calls wait for it, so a policy that fails to
   * load refuses the session (the rejection's message is what the client reads) and the server receives
   * nothing. Resolving to undefined means there is no policy.
   */
  policy?: Promise<CallPolicy | undefined>;
  /** How `approve` decisions reach a person; without it they are denied. */
  approvals?: RelayApprovals;
  /** One audit record per decision. Must only queue: it runs on the call's path. */
  audit?(entry: AuditEntry): void;
  /** The audit writer's backlog: while it is too long the relay stops reading the client. */
  auditBacklog?: { isBacklogged(): boolean; onceDrained(callback: () => void): void };
  /** The locked digest of a tool: approvals and audit records are bound to it. */
  lockDigest?(tool: string): string | undefined;
}

export interface RelayApprovals {
  /** How long a call waits for a person (elicitation or out of band) before it is denied. */
  timeoutMs: number;
  /** Interval of progress notifications while a call that carried a progress token waits. */
  heartbeatMs: number;
  /** Files an out-of-band request and waits (ApprovalStore.request); a rejection denies the call. */
  outOfBand(input: ApprovalInput, options: ApprovalWaitOptions): Promise<ApprovalResult>;
}

type JsonRpcId = string | number | null;

export interface DecisionEvent {
  event: 'denied' | 'would-deny';
  time: string;
  method: string;
  name?: unknown;
  uri?: unknown;
  reason: string;
}

interface PendingClientRequest {
  id: JsonRpcId;
  method: string;
}

interface HeldMessage {
  /** The client's bytes as they will be forwarded (ending in one LF). */
  framed: Buffer;
  message: Record<string, unknown>;
  since: number;
  /** A tools/call a person approved: it still passes the lock gate, but not the policy again. */
  approved?: boolean;
}

interface AwaitingApproval {
  id: JsonRpcId;
  controller: AbortController;
}

const LIST_METHODS: Record<string, { kind: EntityKind; field: string }> = {
  'tools/list': { kind: 'tool', field: 'tools' },
  'prompts/list': { kind: 'prompt', field: 'prompts' },
  'resources/list': { kind: 'resource', field: 'resources' },
  'resources/templates/list': { kind: 'resourceTemplate', field: 'resourceTemplates' },
};

const LIST_CHANGED: Record<string, readonly string[]> = {
  'notifications/tools/list_changed': ['tools/list'],
  'notifications/prompts/list_changed': ['prompts/list'],
  'notifications/resources/list_changed': ['resources/list', 'resources/templates/list'],
};

const PROTOCOL_META_PREFIX = 'io.modelcontextprotocol/';
const MAX_PAGES = 1000;

export const JSONRPC_ERRORS = {
  parse: -32700,
  invalidRequest: -32600,
  internal: -32603,
  /** Implementation-defined server error range: the proxy refused the request. */
  refused: -32001,
  /** The upstream exited or never started. */
  upstreamGone: -32000,
} as const;

/**
 * Map keys for ids: a Map already tells 1 from "1", so strings and numbers serve as they are. Any other id
 * (null, or invalid ones) maps to NaN, which JSON cannot produce and so collides with no real id.
 */
type IdKey = string | number;
function idKey(id: unknown): IdKey {
  return typeof id === 'string' || typeof id === 'number' ? id : Number.NaN;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export class Relay {
  private readonly clientIn: Readable;
  private readonly clientOut: Writable;
  private readonly gate: RelayGate;
  private readonly log: (message: string) => void;
  private readonly event: ((record: DecisionEvent) => void) | undefined;
  private readonly holdTimeoutMs: number;
  private readonly debounceMs: number;
  private readonly listTimeoutMs: number;
  private readonly recheckAfterCallMs: number;
  private readonly serverName: string;
  private policy: CallPolicy | undefined;
  private policyLoading: boolean;
  /** Set when the policy failed to load: every request is refused from then on. */
  private refusal: string | undefined;
  private readonly approvals: RelayApprovals | undefined;
  private readonly audit: ((entry: AuditEntry) => void) | undefined;
  private readonly lockDigestOf: ((tool: string) => string | undefined) | undefined;
  private readonly auditBacklog: RelayOptions['auditBacklog'];
  private auditStalled = false;
  private lastListingEnded = 0;
  private callRecheckTimer: NodeJS.Timeout | undefined;
  private upstream: Upstream | undefined;

  private readonly pending = new Map<IdKey, PendingClientRequest>();
  private readonly own = new Map<IdKey, (response: Record<string, unknown> | undefined) => void>();
  /** The proxy's own requests to the client (elicitation): their answers never reach the server. */
  private readonly ownToClient = new Map<IdKey, (response: Record<string, unknown>) => void>();
  /** tools/call requests waiting for a person, by the client's id. */
  private readonly awaitingApproval = new Map<IdKey, AwaitingApproval>();
  private clientCapabilities: unknown;
  private readonly nonce = randomBytes(6).toString('hex');
  private ownCounter = 0;

  /** Client messages waiting behind a held tools/call, in arrival order. */
  private readonly held: HeldMessage[] = [];
  private holdTimer: NodeJS.Timeout | undefined;

  private initializedSeen = false;
  /** The server's instructions were compared with the lock in this session (initialize or discover). */
  private instructionsChecked = false;
  /** The client sent server/discover in this session (2026-07-28 era). */
  private clientDiscovered = false;
  /** The proxy's own server/discover is in flight: the client's listings wait for its answer. */
  private ownDiscoverRunning = false;
  private readonly answersAwaitingDiscover: { framed: Buffer; message: Record<string, unknown>; request: PendingClientRequest }[] = [];
  /** The proxy's own read of the instructions failed: a refused call asks for another one. */
  private instructionsCheckFailed = false;
  private clientMeta: Record<string, unknown> | undefined;
  private listingRunning = false;
  private listingAgain = false;
  /** A call was answered while a listing ran: re-check once the interval since that listing has passed. */
  private recheckWhenListingEnds = false;
  private readonly dirty = new Set<string>(['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list']);
  private debounceTimer: NodeJS.Timeout | undefined;
  private serverCapabilities: Record<string, unknown> | undefined;

  private clientEnded = false;
  private clientStalled = false;
  private serverStalled = false;
  // Both directions batch the messages of one read into a single write (see OutputBatch).
  private readonly toServerBatch = new OutputBatch((framed) => this.writeToServer(framed));
  private readonly toClientBatch = new OutputBatch((framed) => this.writeToClient(framed));
  private upstreamGone: UpstreamExit | undefined;
  private resolveDone!: (code: number) => void;
  /** Resolves with the exit code once the upstream is gone and everything owed to the client is written. */
  readonly done: Promise<number>;

  constructor(options: RelayOptions) {
    this.clientIn = options.clientIn;
    this.clientOut = options.clientOut;
    this.gate = options.gate;
    this.log = options.log;
    this.event = options.event;
    this.holdTimeoutMs = options.holdTimeoutMs ?? 10_000;
    this.debounceMs = options.debounceMs ?? 50;
    this.listTimeoutMs = options.listTimeoutMs ?? 10_000;
    this.recheckAfterCallMs = options.recheckAfterCallMs ?? 250;
    this.serverName = options.serverName ?? '';
    this.policyLoading = options.policy !== undefined;
    options.policy?.then(
      (policy) => this.onPolicySettled(policy, undefined),
      (error: unknown) => this.onPolicySettled(undefined, error instanceof Error ? error.message : String(error)),
    );
    this.approvals = options.approvals;
    this.audit = options.audit;
    this.lockDigestOf = options.lockDigest;
    this.auditBacklog = options.auditBacklog;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** Upstream handlers: give these to the upstream's constructor, then attach() it. */
  readonly upstreamHandlers = {
    onReadStart: (): void => this.toClientBatch.begin(),
    onReadEnd: (): void => this.toClientBatch.end(),
    onMessage: (line: Buffer, framed?: Buffer): void => this.fromServer(line, framed ?? frame(line)),
    onOversize: (bytes: number): void =>
      this.log(`mcp-guard proxy: dropped a server message of more than ${bytes} bytes (over the size cap)`),
    onExit: (exit: UpstreamExit): void => this.onUpstreamExit(exit),
  };

  attach(upstream: Upstream): void {
    this.upstream = upstream;
    const framer = new LineFramer({
      onMessage: (line, framed) => this.fromClient(line, framed),
      onOversize: (bytes) => {
        this.log(`mcp-guard proxy: refused a client message of more than ${bytes} bytes (over the size cap)`);
        this.replyError(null, JSONRPC_ERRORS.invalidRequest, `mcp-guard: message larger than the proxy's size cap (${bytes} bytes)`);
      },
    });
    this.clientIn.on('data', (chunk: Buffer) => {
      this.toServerBatch.begin();
      try {
        framer.push(chunk);
      } finally {
        this.toServerBatch.end();
      }
      const backlog = this.auditBacklog;
      if (backlog && !this.auditStalled && backlog.isBacklogged()) {
        this.auditStalled = true;
        this.clientIn.pause();
        backlog.onceDrained(() => {
          this.auditStalled = false;
          if (!this.upstreamGone && !this.serverStalled) this.clientIn.resume();
        });
      }
    });
    this.clientIn.on('end', () => this.onClientEnd());
    this.clientIn.on('error', () => this.onClientEnd());
    this.clientOut.on('error', () => this.onClientEnd());
  }

  // ── client → server ───────────────────────────────────────────────────────

  /** `line` is what is checked; `framed` (the same bytes plus LF) is what is forwarded. */
  private fromClient(line: Buffer, framed: Buffer): void {
    let message: Record<string, unknown> | undefined;
    try {
      message = this.parseClient(line);
      if (!message) return;
      // Before the hold queue: an answer to our elicitation or a cancellation of a waiting approval must
      // not wait behind a call that is itself held.
      if (this.interceptClient(message)) return;
      if (this.held.length > 0) {
        this.held.push({ framed, message, since: Date.now() });
      } else if (!this.routeClient(framed, message, false)) {
        this.held.push({ framed, message, since: Date.now() });
        this.armHoldTimer();
      }
    } catch (error) {
      // Fail closed: whatever went wrong, this message is not forwarded; a request gets an answer.
      this.log(`mcp-guard proxy: internal error while checking a client message: ${(error as Error).message}`);
      if (message && typeof message['method'] === 'string' && 'id' in message) {
        this.replyError(toId(message['id']), JSONRPC_ERRORS.internal, 'mcp-guard: the proxy could not check this request, so it was not forwarded');
      }
    }
  }

  /** Parses and validates one client line; answers locally and returns undefined when it must not pass. */
  private parseClient(line: Buffer): Record<string, unknown> | undefined {
    const text = line.toString('utf8');
    if (!decodedExactly(line, text)) {
      // We would check the U+FFFD-substituted text but forward bytes another decoder may read otherwise.
      this.replyError(null, JSONRPC_ERRORS.parse, 'mcp-guard: parse error (the line is not valid UTF-8)');
      return undefined;
    }
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.replyError(null, JSONRPC_ERRORS.parse, 'mcp-guard: parse error (the line is not valid JSON)');
      return undefined;
    }
    if (Array.isArray(message)) {
      // MCP dropped JSON-RPC batching in 2025-06-18; checking each element would also need a batch
      // response, so the proxy refuses the batch as a whole and forwards none of it.
      const ids = message.filter((m) => isObject(m) && 'id' in m && typeof m['method'] === 'string').map((m) => (m as { id: unknown }).id);
      if (ids.length === 0) this.replyError(null, JSONRPC_ERRORS.invalidRequest, 'mcp-guard: JSON-RPC batches are not supported');
      for (const id of ids) {
        this.replyError(toId(id), JSONRPC_ERRORS.invalidRequest, 'mcp-guard: JSON-RPC batches are not supported');
      }
      return undefined;
    }
    if (!isObject(message)) {
      this.replyError(null, JSONRPC_ERRORS.invalidRequest, 'mcp-guard: a JSON-RPC message must be an object');
      return undefined;
    }
    if (hasDuplicateKey(text, message)) {
      const isRequest = typeof message['method'] === 'string' && 'id' in message;
      if (isRequest || !('method' in message)) {
        this.replyError(isRequest ? toId(message['id']) : null, JSONRPC_ERRORS.invalidRequest, 'mcp-guard: refused a message with a duplicate key');
      }
      this.log('mcp-guard proxy: refused a client message with a duplicate key');
      return undefined;
    }
    return message;
  }

  /** True when the message concerns the proxy's own approval traffic and was consumed here. */
  private interceptClient(message: Record<string, unknown>): boolean {
    const method = message['method'];
    if (method === undefined && 'id' in message) {
      const key = idKey(message['id']);
      const resolve = this.ownToClient.get(key);
      if (resolve) {
        this.ownToClient.delete(key);
        resolve(message);
        return true;
      }
      // A late answer to an elicitation we already gave up on: the server never asked anything.
      return typeof message['id'] === 'string' && message['id'].startsWith(`mcp-guard-${this.nonce}-`);
    }
    if (method === 'notifications/cancelled' && !('id' in message) && isObject(message['params'])) {
      const waiting = this.awaitingApproval.get(idKey(message['params']['requestId']));
      if (waiting) {
        // The server never received this call, so the cancellation is ours alone.
        waiting.controller.abort('cancelled');
        return true;
      }
    }
    return false;
  }

  /** Returns false when the message must wait for the re-check; the caller keeps it queued. */
  private routeClient(framed: Buffer, message: Record<string, unknown>, holdExpired: boolean, approved = false): boolean {
    const method = message['method'];
    const isRequest = typeof method === 'string' && 'id' in message;
    const gate = this.gate;

    if (gate.kind === 'refuse' || this.refusal !== undefined) {
      if (isRequest) this.replyError(toId(message['id']), JSONRPC_ERRORS.refused, gate.kind === 'refuse' ? gate.message : this.refusal!);
      return true;
    }
    if (typeof method !== 'string') {
      this.toServer(framed); // a response to a server → client request (sampling, elicitation, roots)
      return true;
    }
    if (!isRequest) {
      // A gated method without an id (a "notification" tools/call) would reach the server unchecked: a
      // server that dispatches on the method alone would run it. It has no answer to give, so drop it.
      if (gate.kind !== 'passthrough' && gateRequest(method, isObject(message['params']) ? message['params'] : undefined)) {
        this.log(`mcp-guard proxy: dropped a ${method} without an id: gated calls need one`);
        return true;
      }
      this.toServer(framed);
      if (method === 'notifications/initialized') {
        this.initializedSeen = true;
        this.startListing();
      }
      return true;
    }

    const id = toId(message['id']);
    if (this.pending.has(idKey(id))) {
      // A second request under an id still in flight would make the server's answers ambiguous (a
      // tools/list answer could be taken for the other request's and skip filtering).
      this.replyError(id, JSONRPC_ERRORS.invalidRequest, 'mcp-guard: a request with this id is still pending');
      return true;
    }
    const params = isObject(message['params']) ? message['params'] : undefined;
    this.noteEra(method, params);
    if (method === 'initialize') this.clientCapabilities = params?.['capabilities'];
    if ((method === 'tools/call' || method === 'initialize') && this.policyLoading && !approved) {
      if (!holdExpired) return false;
      if (method === 'initialize') this.replyError(id, JSONRPC_ERRORS.refused, 'mcp-guard refused this session: its policy did not finish loading in time.');
      else this.replyResult(id, { content: [{ type: 'text', text: 'mcp-guard blocked this call: its policy did not finish loading in time.' }], isError: true });
      return true;
    }

    let wouldDeny: string | undefined;
    if (gate.kind !== 'passthrough') {
      const request = gateRequest(method, params);
      if (request) {
        if (request.kind === 'tools/call' && !this.initializedSeen) this.startListing();
        const view = gate.state.view();
        const decision: Decision = decide(view, request, holdExpired);
        if (decision.action === 'hold') return false;
        if (decision.action === 'deny') {
          // A failed re-check is not retried on a timer (a broken server would be asked forever); a call
          // refused because of it asks again, at most once per recheck interval.
          if (view.recheckFailed || this.instructionsCheckFailed) this.recheckAfterCall();
          this.record('denied', method, request, decision.reason);
          this.auditLockDenial(method, request, params, decision.reason);
          if (request.kind === 'tools/call') {
            this.replyResult(id, { content: [{ type: 'text', text: decision.reason }], isError: true });
          } else {
            this.replyError(id, JSONRPC_ERRORS.refused, decision.reason);
          }
          return true;
        }
        if (decision.wouldDeny) {
          wouldDeny = decision.wouldDeny;
          this.record('would-deny', method, request, decision.wouldDeny);
        }
      }
    }
    if (method === 'tools/call' && !approved && this.judgeCall(id, framed, message, params, wouldDeny)) return true;
    this.pending.set(idKey(id), { id, method });
    this.toServer(framed);
    return true;
  }

  // ── policy and approvals ──────────────────────────────────────────────────

  /**
   * Applies the policy to a tools/call the lock let through. Returns true when the call was consumed
   * (answered, or waiting for a person), false when it goes to the server now. The forwarded bytes are
   * the client's own: judging a call never re-serializes it.
   */
  private judgeCall(
    id: JsonRpcId,
    framed: Buffer,
    message: Record<string, unknown>,
    params: Record<string, unknown> | undefined,
    /** Learning mode: what the lock would have said. */
    wouldDeny: string | undefined,
  ): boolean {
    const tool = params?.['name'];
    const args = params?.['arguments'];
    if (!this.policy) {
      if (typeof tool !== 'string') return false;
      if (wouldDeny !== undefined) this.auditCall(tool, args, 'allow', { source: 'learn', reason: `allowed in learning mode; would deny: ${wouldDeny}` });
      else this.auditCall(tool, args, 'allow', { source: this.gate.kind === 'passthrough' ? 'unchecked' : 'lock' });
      return false;
    }
    if (typeof tool !== 'string') {
      this.replyResult(id, { content: [{ type: 'text', text: 'mcp-guard blocked this call: the tool name is missing or not a string.' }], isError: true });
      return true;
    }
    const decision = this.policy.evaluate(tool, args, Date.now());
    switch (decision.action) {
      case 'allow':
      case 'log':
        this.auditCall(tool, args, decision.action, fromPolicy(decision));
        return false;
      case 'deny':
        this.auditCall(tool, args, 'deny', fromPolicy(decision));
        this.replyResult(id, { content: [{ type: 'text', text: `mcp-guard blocked this call by policy: ${decision.reason}` }], isError: true });
        return true;
      case 'approve':
        this.seekApproval(id, framed, message, tool, args, decision).catch((error: unknown) => {
          // Fail closed: a bug while waiting must answer the call, never forward it or leave it hanging.
          this.awaitingApproval.delete(idKey(id));
          this.log(`mcp-guard proxy: internal error while waiting for approval: ${(error as Error).message}`);
          this.replyError(id, JSONRPC_ERRORS.internal, 'mcp-guard: the proxy could not complete the approval, so the call was not forwarded');
        });
        return true;
    }
  }

  private async seekApproval(
    id: JsonRpcId,
    framed: Buffer,
    message: Record<string, unknown>,
    tool: string,
    args: unknown,
    decision: PolicyDecision,
  ): Promise<void> {
    const key = idKey(id);
    const controller = new AbortController();
    this.awaitingApproval.set(key, { id, controller });
    const progressToken = progressTokenOf(message);
    let heartbeat: NodeJS.Timeout | undefined;
    if (progressToken !== undefined && this.approvals) {
      let beats = 0;
      heartbeat = setInterval(() => {
        beats += 1;
        this.toClient(
          frameless({
            jsonrpc: '2.0',
            method: 'notifications/progress',
            params: { progressToken, progress: beats, message: 'mcp-guard: waiting for the user to approve this call' },
          }),
        );
      }, this.approvals.heartbeatMs);
    }
    const lockDigest = this.lockDigestOf?.(tool) ?? 'unlocked';
    let via = 'none';
    let outcome: string;
    let refusal: string | undefined;
    try {
      // Imported on the first approval: none of this belongs on the proxy's start-up path.
      const [{ hashArguments, previewArguments }, { refusalForModel }, prompt] = await Promise.all([
        import('../approvals/arguments-preview.js'),
        import('../approvals/messages.js'),
        import('./approval-prompt.js'),
      ]);
      if (!this.approvals) {
        outcome = 'unavailable';
        refusal = 'This tool call needs the user\'s approval, and this proxy has no way to ask for it, so mcp-guard refused it.';
      } else if (prompt.supportsFormElicitation(this.clientCapabilities)) {
        via = 'elicitation';
        const question = { server: this.serverName, tool, arguments: args, reason: decision.reason };
        const answer = await this.elicit(
          prompt.elicitationParams(question, this.approvals.timeoutMs),
          this.approvals.timeoutMs,
          controller.signal,
          prompt.readElicitationAnswer,
        );
        outcome = answer;
        if (answer !== 'approved' && answer !== 'withdrawn') refusal = prompt.elicitationRefusal(answer);
      } else {
        via = 'out-of-band';
        const input: ApprovalInput = {
          server: this.serverName,
          tool,
          // Throws on arguments JSON cannot express: caught below, the call is denied.
          argumentsHash: hashArguments(args),
          lockDigest,
          argumentsPreview: previewArguments(args),
          reason: decision.reason,
        };
        const result = await this.approvals.outOfBand(input, { timeoutMs: this.approvals.timeoutMs, signal: controller.signal });
        outcome = result.outcome;
        if (result.outcome !== 'approved' && result.outcome !== 'withdrawn') refusal = refusalForModel(result.outcome);
      }
    } catch (error) {
      this.log(`mcp-guard proxy: could not ask for approval: ${(error as Error).message}`);
      outcome = 'error';
      refusal = 'mcp-guard could not ask the user to approve this tool call, so it refused it.';
    } finally {
      if (heartbeat) clearInterval(heartbeat);
      this.awaitingApproval.delete(key);
    }
    // A cancellation that raced an approval wins: the client has already given up on this call.
    if (controller.signal.aborted && outcome === 'approved') outcome = 'withdrawn';
    const approved = outcome === 'approved';
    this.auditCall(tool, args, approved ? 'approve' : 'deny', {
      ...fromPolicy(decision),
      ...(approved ? {} : { source: 'approval' }),
      lockDigest,
      approval: { via, outcome },
    });
    // The upstream is gone (its exit answered the call) or the client is: nothing more to say.
    if (this.upstreamGone || this.clientEnded) return;
    if (outcome === 'withdrawn') return; // the client cancelled: no answer is expected (MCP cancellation)
    if (!approved) {
      this.replyResult(id, { content: [{ type: 'text', text: refusal ?? 'mcp-guard refused this tool call: it was not approved.' }], isError: true });
      return;
    }
    try {
      this.toServerBatch.begin();
      if (this.held.length > 0) {
        this.held.push({ framed, message, since: Date.now(), approved: true });
      } else if (!this.routeClient(framed, message, false, true)) {
        this.held.push({ framed, message, since: Date.now(), approved: true });
        this.armHoldTimer();
      }
    } catch (error) {
      this.log(`mcp-guard proxy: internal error while forwarding an approved call: ${(error as Error).message}`);
      this.replyError(id, JSONRPC_ERRORS.internal, 'mcp-guard: the proxy could not check this request, so it was not forwarded');
    } finally {
      this.toServerBatch.end();
    }
  }

  /** Asks the user through the client; resolves with the answer, or timeout / withdrawn. */
  private elicit(
    params: Record<string, unknown>,
    timeoutMs: number,
    signal: AbortSignal,
    readAnswer: (response: Record<string, unknown>) => ElicitationAnswer,
  ): Promise<ElicitationAnswer | 'timeout' | 'withdrawn'> {
    const id = `mcp-guard-${this.nonce}-e${++this.ownCounter}`;
    const key = idKey(id);
    return new Promise((resolve) => {
      const cancel = (reason: string): void =>
        this.toClient(frameless({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } }));
      const finish = (answer: ElicitationAnswer | 'timeout' | 'withdrawn'): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.ownToClient.delete(key);
        resolve(answer);
      };
      const onAbort = (): void => {
        cancel('the tool call was cancelled');
        finish('withdrawn');
      };
      const timer = setTimeout(() => {
        cancel('mcp-guard: the approval timed out');
        finish('timeout');
      }, timeoutMs);
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      this.ownToClient.set(key, (response) => finish(readAnswer(response)));
      this.toClient(frameless({ jsonrpc: '2.0', id, method: 'elicitation/create', params }));
    });
  }

  private auditCall(tool: string, args: unknown, decision: AuditDecision, extra: Partial<AuditEntry>): void {
    if (!this.audit) return;
    const entry: AuditEntry = { server: this.serverName, tool, decision, arguments: args, ...extra };
    if (entry.lockDigest === undefined) {
      const digest = this.lockDigestOf?.(tool);
      if (digest !== undefined) entry.lockDigest = digest;
    }
    this.audit(entry);
  }

  private auditLockDenial(method: string, request: GateRequest, params: Record<string, unknown> | undefined, reason: string): void {
    if (!this.audit) return;
    const subject = request.kind === 'resources/read' ? request.uri : request.name;
    const name = typeof subject === 'string' ? subject : '';
    if (request.kind === 'tools/call') this.auditCall(name, params?.['arguments'], 'deny', { source: 'lock', reason });
    else this.audit({ server: this.serverName, tool: name, decision: 'deny', source: 'lock', reason, method });
  }

  private record(event: DecisionEvent['event'], method: string, request: GateRequest, reason: string): void {
    const subject = request.kind === 'resources/read' ? { uri: request.uri } : { name: request.name };
    const record: DecisionEvent = { event, time: new Date().toISOString(), method, ...subject, reason };
    if (this.event) this.event(record);
    else this.log(JSON.stringify(record));
  }

  /** 2026-07-28 traffic has no initialize: protocol version and capabilities travel in each request's _meta. */
  private noteEra(method: string, params: Record<string, unknown> | undefined): void {
    const meta = params?.['_meta'];
    if (!isObject(meta)) return;
    const protocolMeta: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(meta)) if (key.startsWith(PROTOCOL_META_PREFIX)) protocolMeta[key] = value;
    if (Object.keys(protocolMeta).length > 0) this.clientMeta = protocolMeta;
    if (method === 'server/discover') this.clientDiscovered = true;
    if (method !== 'initialize' && this.clientMeta && !this.initializedSeen) {
      // No initialize handshake in this era: the first request is the moment the session exists.
      this.initializedSeen = true;
      this.startListing();
    }
  }

  private armHoldTimer(): void {
    if (this.holdTimer) return;
    const head = this.held[0];
    if (!head) return;
    const wait = Math.max(0, head.since + this.holdTimeoutMs - Date.now());
    this.holdTimer = setTimeout(() => {
      this.holdTimer = undefined;
      this.drainHeld(true);
    }, wait);
  }

  private drainHeld(headExpired = false): void {
    let done = 0;
    let expired = headExpired;
    while (done < this.held.length) {
      const next = this.held[done]!;
      if (!this.routeClient(next.framed, next.message, expired || Date.now() - next.since >= this.holdTimeoutMs, next.approved)) break;
      done++;
      expired = false;
    }
    this.held.splice(0, done);
    if (this.holdTimer) {
      clearTimeout(this.holdTimer);
      this.holdTimer = undefined;
    }
    if (this.held.length > 0) this.armHoldTimer();
  }

  // ── server → client ───────────────────────────────────────────────────────

  /** `line` is what is checked; `framed` (the same bytes plus LF) is what is relayed when nothing is rewritten. */
  private fromServer(line: Buffer, framed: Buffer): void {
    try {
      this.fromServerLine(line, framed);
    } catch (error) {
      this.log(`mcp-guard proxy: internal error while checking a server message (dropped): ${(error as Error).message}`);
    }
  }

  private fromServerLine(raw: Buffer, framed: Buffer): void {
    const text = raw.toString('utf8');
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      // stdout must carry JSON-RPC only: a server that prints logs there would break the client.
      this.log(`mcp-guard proxy: dropped a non-JSON line from the server's stdout (${raw.length} bytes)`);
      return;
    }
    if (Array.isArray(message)) {
      // Each element goes through the same checks as a single message, so a batch cannot smuggle a listing.
      for (const element of message) this.fromServerMessage(frameless(element), element);
      return;
    }
    // A repeated top-level key ("id", "result") would let a first-wins client parser read another message
    // than the one we routed (e.g. an unfiltered tools/list answer posing as a tools/call answer), and
    // invalid UTF-8 may decode differently elsewhere: such a message is forwarded as we parsed it.
    const relayed = hasDuplicateKey(text, message, 1) || !decodedExactly(raw, text) ? frameless(message) : framed;
    this.fromServerMessage(relayed, message);
  }

  private fromServerMessage(framed: Buffer, message: unknown): void {
    if (!isObject(message)) {
      this.log('mcp-guard proxy: dropped a server message that is not a JSON object');
      return;
    }
    const method = message['method'];
    if (typeof method === 'string') {
      // The server sees our own request ids, so it could forge a request in that namespace and have the
      // client's answer taken for the answer to one of ours (an approval prompt): never relay those.
      const id = message['id'];
      if (typeof id === 'string' && id.startsWith(`mcp-guard-${this.nonce}-`)) {
        this.log('mcp-guard proxy: dropped a server request that uses an id from the proxy\'s own namespace');
        return;
      }
      if (!('id' in message)) this.onServerNotification(method);
      this.toClient(framed);
      return;
    }
    const key = idKey(message['id']);
    const ownResolver = this.own.get(key);
    if (ownResolver) {
      this.own.delete(key);
      ownResolver(message);
      return;
    }
    const request = this.pending.get(key);
    if (!request) {
      // An answer nobody asked for is dropped: a server spraying answers for ids the client is about to
      // use could otherwise land an unfiltered tools/list result on a request we have not read yet.
      if (this.gate.kind === 'passthrough') this.toClient(framed);
      else this.log('mcp-guard proxy: dropped a server response to an id with no request pending');
      return;
    }
    this.pending.delete(key);
    if (this.gate.kind !== 'enforce' && this.gate.kind !== 'learn') {
      this.toClient(framed);
      return;
    }
    if (this.ownDiscoverRunning && LIST_METHODS[request.method]) {
      // A listing must not reach the client before the instructions were compared with the lock: if
      // they drifted, every tool is hidden. The server may answer our discover after this listing.
      this.answersAwaitingDiscover.push({ framed, message, request });
      return;
    }
    this.answerClient(framed, message, request, this.gate.state);
  }

  /** Checks one server answer to a client request against the lock and relays what may be shown. */
  private answerClient(framed: Buffer, message: Record<string, unknown>, request: PendingClientRequest, state: GateSession): void {
    const result = message['result'];
    if (!isObject(result)) {
      // An error answer to a call is still an answered call: the server may have changed meanwhile.
      if (request.method === 'tools/call') this.recheckAfterCall();
      this.toClient(framed);
      return;
    }
    try {
      if (request.method === 'initialize' || request.method === 'server/discover') {
        const capabilities = result['capabilities'];
        if (isObject(capabilities)) this.serverCapabilities = capabilities;
        if (request.method === 'initialize' || 'instructions' in result) {
          this.instructionsChecked = true;
          const checked = state.checkInstructions(result['instructions']);
          if (checked.drifted && state.mode === 'enforce') {
            // Instructions drift: the drifted text is replaced with the locked text (or removed) and every
            // tool is blocked, rather than refusing the session. The model never reads the new text either
            // way; keeping the session up means calls get a readable reason that names the fix, instead of a
            // "server failed to start" that users tend to "fix" by removing the proxy from their config.
            const rewritten: Record<string, unknown> = { ...result };
            if (checked.text === undefined) delete rewritten['instructions'];
            else rewritten['instructions'] = checked.text;
            this.toClient(frameless({ ...message, result: rewritten }));
            return;
          }
        }
        this.toClient(hasDuplicateKey(framed.toString('utf8'), message) ? frameless(message) : framed);
        return;
      }
      if (request.method === 'tools/call') {
        // Before the answer reaches the client, so its next call already finds the tools stale.
        this.recheckAfterCall();
        this.toClient(framed);
        return;
      }
      const listing = LIST_METHODS[request.method];
      if (listing) {
        const items = result[listing.field];
        if (!Array.isArray(items)) {
          this.toClient(framed);
          return;
        }
        state.observe(listing.kind, items, false);
        const filtered = state.filter(listing.kind, items);
        let { kept, dropped } = filtered;
        const policy = this.policy;
        if (policy && listing.kind === 'tool') {
          // A tool the policy denies whatever the arguments is left out: the model would only waste calls on it.
          const shown = kept.filter((item) => {
            const name = entityKey('tool', item);
            return name === undefined || !policy.hides(name);
          });
          dropped += kept.length - shown.length;
          kept = shown;
        }
        // With a repeated key, a first-wins client parser would read another definition than the one we
        // checked (JSON.parse keeps the last): such a listing is re-serialized from what we checked.
        if (dropped === 0 && !hasDuplicateKey(framed.toString('utf8'), message)) this.toClient(framed);
        else this.toClient(frameless({ ...message, result: { ...result, [listing.field]: kept } }));
        return;
      }
      this.toClient(framed);
    } catch (error) {
      // Fail closed: a listing we could not check is not shown.
      this.log(`mcp-guard proxy: could not check a ${request.method} response: ${(error as Error).message}`);
      this.replyError(request.id, JSONRPC_ERRORS.internal, 'mcp-guard: the proxy could not check this response against mcp.lock');
    }
  }

  private onServerNotification(method: string): void {
    const lists = LIST_CHANGED[method];
    if (!lists || (this.gate.kind !== 'enforce' && this.gate.kind !== 'learn')) return;
    for (const list of lists) this.dirty.add(list);
    if (lists.includes('tools/list')) this.gate.state.markToolsStale();
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = undefined;
      this.startListing();
    }, this.debounceMs);
  }

  private onPolicySettled(policy: CallPolicy | undefined, failure: string | undefined): void {
    this.policyLoading = false;
    this.policy = policy;
    this.refusal = failure;
    if (!this.upstreamGone) this.drainHeld();
  }

  // ── the proxy's own listing ───────────────────────────────────────────────

  private startListing(): void {
    if (this.gate.kind !== 'enforce' && this.gate.kind !== 'learn') return;
    if (this.upstreamGone) return;
    if (this.listingRunning) {
      this.listingAgain = true;
      return;
    }
    this.listingRunning = true;
    void this.runListing(this.gate.state).finally(() => {
      this.listingRunning = false;
      if (this.listingAgain) {
        this.listingAgain = false;
        this.startListing();
      } else if (this.recheckWhenListingEnds) {
        this.recheckWhenListingEnds = false;
        this.recheckAfterCall();
      }
    });
  }

  private async runListing(state: GateSession): Promise<void> {
    // A 2026-07-28 client may send server/discover only to a short-lived probe process, never to this
    // session, so this proxy would never compare the instructions with the lock: ask the server itself,
    // before the tools listing ends (calls are held until then).
    if (this.clientMeta && !this.instructionsChecked) await this.discoverOnOwn(state);
    const methods = [...this.dirty];
    this.dirty.clear();
    const toolsListed = methods.includes('tools/list');
    if (toolsListed) state.markToolsStale();
    for (const method of methods) {
      if (this.upstreamGone) return;
      const listing = LIST_METHODS[method]!;
      if (method !== 'tools/list' && !this.serverOffers(listing.field === 'resourceTemplates' ? 'resources' : listing.field)) continue;
      const items = await this.listAll(method, listing.field);
      if (items) state.observe(listing.kind, items, true);
      if (method === 'tools/list') {
        // Another list_changed arrived meanwhile: stay stale, the next round decides.
        if (this.dirty.has('tools/list')) continue;
        if (this.upstreamGone) return;
        state.finishToolsRecheck(items !== undefined);
        if (!items) this.log('mcp-guard proxy: could not list the server\'s tools; tool calls are denied until a listing succeeds');
        this.drainHeld();
      }
    }
    if (this.dirty.size > 0) this.listingAgain = true;
    this.lastListingEnded = Date.now();
  }

  private async discoverOnOwn(state: GateSession): Promise<void> {
    // When the client itself discovers in this session, its answer is checked on the way back. Otherwise
    // ours goes out in the same tick, ahead of the request that started the session, so the check is in
    // place before the client's first listing comes back.
    if (this.instructionsChecked || this.clientDiscovered) return;
    this.ownDiscoverRunning = true;
    state.beginInstructionsCheck();
    try {
      const response = await this.ownRequest('server/discover', { _meta: this.clientMeta });
      if (this.instructionsChecked) return; // the client's own discover answered meanwhile
      const result = response?.['result'];
      if (!isObject(result)) {
        // Error, timeout or no such method: what this client reads as instructions was never compared
        // with the lock. Fail closed; the next listing (list_changed, or a refused call) asks again.
        state.instructionsUnreadable();
        this.instructionsCheckFailed = true;
        this.log('mcp-guard proxy: could not read the server\'s instructions (server/discover); its tools are blocked until a check succeeds');
        return;
      }
      const capabilities = result['capabilities'];
      if (isObject(capabilities)) this.serverCapabilities = capabilities;
      this.instructionsChecked = true;
      this.instructionsCheckFailed = false;
      state.checkInstructions(result['instructions']);
    } finally {
      this.ownDiscoverRunning = false;
      for (const answer of this.answersAwaitingDiscover.splice(0)) this.answerClient(answer.framed, answer.message, answer.request, state);
      if (!this.upstreamGone) this.drainHeld();
    }
  }

  private recheckAfterCall(): void {
    if (this.callRecheckTimer || this.upstreamGone) return;
    if (this.listingRunning) {
      // The running listing may predate the change this call revealed. With a zero interval (re-list
      // after every call) list once more at once and hold calls until then, even if this round's
      // tools/list is already done. Otherwise the interval applies from the end of this listing: under
      // pipelined load answers arrive during every listing, and listing back to back would hold every call.
      if (this.recheckAfterCallMs > 0) {
        this.recheckWhenListingEnds = true;
        return;
      }
      if (this.gate.kind === 'enforce' || this.gate.kind === 'learn') this.gate.state.markToolsStale();
      this.dirty.add('tools/list');
      this.listingAgain = true;
      return;
    }
    const wait = this.lastListingEnded + this.recheckAfterCallMs - Date.now();
    if (wait <= 0) {
      this.dirty.add('tools/list');
      this.startListing();
      return;
    }
    this.callRecheckTimer = setTimeout(() => {
      this.callRecheckTimer = undefined;
      this.dirty.add('tools/list');
      this.startListing();
    }, wait);
  }

  private serverOffers(capability: string): boolean {
    // Before we know the capabilities (2026 era without discover), try: an error answer is harmless.
    return this.serverCapabilities === undefined || capability in this.serverCapabilities;
  }

  /** Every page of one list method; undefined when any page fails, times out, or the cursors loop. */
  private async listAll(method: string, field: string): Promise<unknown[] | undefined> {
    const items: unknown[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const params: Record<string, unknown> = {};
      if (cursor !== undefined) params['cursor'] = cursor;
      if (this.clientMeta) params['_meta'] = this.clientMeta;
      const response = await this.ownRequest(method, params);
      const result = response?.['result'];
      if (!isObject(result) || !Array.isArray(result[field])) return undefined;
      items.push(...(result[field] as unknown[]));
      const next = result['nextCursor'];
      if (typeof next !== 'string') return items;
      if (seen.has(next)) return undefined;
      seen.add(next);
      cursor = next;
    }
    return undefined;
  }

  private ownRequest(method: string, params: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
    const id = `mcp-guard-${this.nonce}-${++this.ownCounter}`;
    const key = idKey(id);
    if (this.upstreamGone) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.own.delete(key);
        resolve(undefined);
      }, this.listTimeoutMs);
      this.own.set(key, (response) => {
        clearTimeout(timer);
        resolve(response);
      });
      this.toServer(frameless({ jsonrpc: '2.0', id, method, params }));
    });
  }

  // ── lifecycle ─────────────────────────────────────────────────────────────

  private onClientEnd(): void {
    if (this.clientEnded) return;
    this.clientEnded = true;
    // Nobody is left to receive these calls' results: withdraw them so no approval can still run them.
    for (const waiting of this.awaitingApproval.values()) waiting.controller.abort('client-ended');
    this.upstream?.shutdown();
  }

  private onUpstreamExit(exit: UpstreamExit): void {
    this.upstreamGone = exit;
    const why = exit.spawnError
      ? `mcp-guard: the server could not be started (${exit.spawnError})`
      : `mcp-guard: the server exited (${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`}) before answering`;
    if (exit.spawnError) this.log(`mcp-guard proxy: ${why.slice('mcp-guard: '.length)}`);
    for (const request of this.pending.values()) this.replyError(request.id, JSONRPC_ERRORS.upstreamGone, why);
    this.pending.clear();
    for (const waiting of this.awaitingApproval.values()) {
      this.replyError(waiting.id, JSONRPC_ERRORS.upstreamGone, why);
      waiting.controller.abort('upstream-gone');
    }
    for (const heldMessage of this.held) {
      if (typeof heldMessage.message['method'] === 'string' && 'id' in heldMessage.message) {
        this.replyError(toId(heldMessage.message['id']), JSONRPC_ERRORS.upstreamGone, why);
      }
    }
    this.held.length = 0;
    for (const resolve of this.own.values()) resolve(undefined);
    this.own.clear();
    if (this.holdTimer) clearTimeout(this.holdTimer);
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    if (this.callRecheckTimer) clearTimeout(this.callRecheckTimer);
    // Stop reading the client so the process can end; answers already written still flush.
    this.clientIn.pause();
    this.clientIn.removeAllListeners('data');
    if (typeof (this.clientIn as { destroy?: unknown }).destroy === 'function') this.clientIn.destroy();
    this.resolveDone(exit.exitCode);
  }

  // ── writing ───────────────────────────────────────────────────────────────

  /** `framed`: one whole message ending in LF, as the framer hands it out or frameless() builds it. */
  private toServer(framed: Buffer): void {
    if (!this.upstream || this.upstreamGone) return;
    this.toServerBatch.push(framed);
  }

  private toClient(framed: Buffer): void {
    if (this.clientEnded) return;
    this.toClientBatch.push(framed);
  }

  // Backpressure: when a side's buffer is full, stop reading the other side until it drains (one
  // listener per stall, not per message).
  private writeToServer(framed: Buffer): void {
    if (!this.upstream || this.upstreamGone) return;
    if (!this.upstream.send(framed) && !this.serverStalled) {
      this.serverStalled = true;
      this.clientIn.pause();
      this.upstream.onceDrain(() => {
        this.serverStalled = false;
        if (!this.upstreamGone && !this.auditStalled) this.clientIn.resume();
      });
    }
  }

  private writeToClient(framed: Buffer): void {
    if (this.clientEnded) return;
    if (!this.clientOut.write(framed) && this.upstream && !this.clientStalled) {
      const upstream = this.upstream;
      this.clientStalled = true;
      upstream.pause();
      this.clientOut.once('drain', () => {
        this.clientStalled = false;
        upstream.resume();
      });
    }
  }

  private replyResult(id: JsonRpcId, result: Record<string, unknown>): void {
    // 2026-07-28 clients reject a result without resultType, which would turn a readable refusal into a
    // protocol error the model never sees.
    const body = this.speaks2026() ? { resultType: 'complete', ...result } : result;
    this.toClient(frameless({ jsonrpc: '2.0', id, result: body }));
  }

  private speaks2026(): boolean {
    const version = this.clientMeta?.[`${PROTOCOL_META_PREFIX}protocolVersion`];
    return typeof version === 'string' && version >= '2026-07-28';
  }

  private replyError(id: JsonRpcId, code: number, message: string): void {
    this.toClient(frameless({ jsonrpc: '2.0', id, error: { code, message } }));
  }
}

/**
 * Every message is one whole buffer and is never split across writes. The first message of a read is
 * written at once (no added latency); the rest of that read's messages are joined into one write when the
 * read has been processed, so a pipelined burst costs one syscall instead of one per message.
 */
class OutputBatch {
  private static readonly DIRECT_BYTES = 64 * 1024;
  private inRead = false;
  private count = 0;
  private parts: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly write: (framed: Buffer) => void) {}

  begin(): void {
    this.inRead = true;
    this.count = 0;
  }

  push(framed: Buffer): void {
    if (!this.inRead || this.count++ === 0) {
      this.write(framed);
      return;
    }
    if (framed.length >= OutputBatch.DIRECT_BYTES) {
      this.flush();
      this.write(framed);
      return;
    }
    this.parts.push(framed);
    this.bytes += framed.length;
    if (this.bytes >= OutputBatch.DIRECT_BYTES) this.flush();
  }

  end(): void {
    this.inRead = false;
    this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const out = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.bytes);
    this.parts = [];
    this.bytes = 0;
    this.write(out);
  }
}

/** False when the bytes were not valid UTF-8 (the decoder substituted U+FFFD somewhere). */
function decodedExactly(raw: Buffer, text: string): boolean {
  return !text.includes('\uFFFD') || Buffer.from(text, 'utf8').equals(raw);
}

function toId(value: unknown): JsonRpcId {
  return typeof value === 'string' || typeof value === 'number' ? value : null;
}

function gateRequest(method: string, params: Record<string, unknown> | undefined): GateRequest | undefined {
  switch (method) {
    case 'tools/call':
      return { kind: 'tools/call', name: params?.['name'] };
    case 'prompts/get':
      return { kind: 'prompts/get', name: params?.['name'] };
    case 'resources/read':
      return { kind: 'resources/read', uri: params?.['uri'] };
    default:
      return undefined;
  }
}

/** A tools/call's progress token, when the client asked for progress. */
function progressTokenOf(message: Record<string, unknown>): string | number | undefined {
  const params = message['params'];
  const meta = isObject(params) ? params['_meta'] : undefined;
  const token = isObject(meta) ? meta['progressToken'] : undefined;
  return typeof token === 'string' || typeof token === 'number' ? token : undefined;
}

/** What an audit record says about the policy decision behind it. */
function fromPolicy(decision: PolicyDecision): Partial<AuditEntry> {
  const entry: Partial<AuditEntry> = { source: decision.source, reason: decision.reason };
  // Assignments, not spreads of conditional literals: this runs on every audited call.
  if (decision.policyFile !== undefined || decision.line !== undefined || decision.ruleIndex !== undefined) {
    const rule: NonNullable<AuditEntry['rule']> = {};
    if (decision.policyFile !== undefined) rule.file = decision.policyFile;
    if (decision.ruleIndex !== undefined) rule.index = decision.ruleIndex;
    if (decision.line !== undefined) rule.line = decision.line;
    entry.rule = rule;
  }
  return entry;
}

/** A message the proxy writes itself (or re-serializes), framed for one write. */
function frameless(value: unknown): Buffer {
  return frame(JSON.stringify(value));
}
