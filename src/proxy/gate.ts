// The gate decides, for one request, whether the relay forwards it, answers it itself, or holds it until a
// re-check of the server's listing ends. decide() is pure: every fact it needs is in the GateView the
// GateState (gate-state.ts) keeps up to date from what the server actually sent.

/** What the proxy knows about one entity, by name (tools, prompts) or URI (resources, templates). */
export type Verdict =
  /** In the lock, and the latest definition seen has no blocking drift. */
  | { status: 'ok' }
  /** In the lock, but the latest definition drifted in a blocking way. Fields only, never the new text. */
  | { status: 'drifted'; changes: DriftSummary[] }
  /** Not in the lock at all. */
  | { status: 'unknown' }
  /** Not in the lock, and its name imitates a locked one (case, look-alike characters, separators). */
  | { status: 'look-alike'; imitates: string }
  /** In the lock, absent from the latest complete listing. */
  | { status: 'removed' };

/** A drift reason reduced to what is safe to show a model: the top-level field and the kind of change. */
export interface DriftSummary {
  field: string;
  kind: string;
}

export interface GateView {
  /** `learn` reports what it would block and forwards everything (explicit opt-in, said on stderr). */
  mode: 'enforce' | 'learn';
  /** Set when the server's instructions drifted: every tool is blocked for the session (see relay). */
  sessionBlock?: string;
  /** The proxy is reading the server's instructions itself (2026-07-28 era): gated requests wait for it. */
  instructionsPending?: true;
  /** True while the proxy's own listing is pending or running: tool calls wait for it. */
  toolsStale: boolean;
  /** The last re-check failed (error or timeout): tool calls are denied until one succeeds. */
  recheckFailed: boolean;
  tools: ReadonlyMap<string, Verdict>;
  prompts: ReadonlyMap<string, Verdict>;
  resources: ReadonlyMap<string, Verdict>;
  /** Locked resource templates that are not drifted, as matchers. */
  resourceTemplates: readonly ((uri: string) => boolean)[];
  /** Locked prompt names and resource URIs, for requests about entities never listed in this session. */
  lockedPrompts: ReadonlySet<string>;
  lockedResources: ReadonlySet<string>;
}

export type GateRequest =
  | { kind: 'tools/call'; name: unknown }
  | { kind: 'prompts/get'; name: unknown }
  | { kind: 'resources/read'; uri: unknown };

export type Decision =
  | { action: 'allow'; wouldDeny?: string }
  | { action: 'deny'; reason: string }
  | { action: 'hold' };

const PREFIX = 'mcp-guard blocked this request:';
const REVIEW = 'A person must review the change (`mcp-guard diff`) and accept it (`mcp-guard lock --server NAME`).';

/**
 * @param holdExpired the request has waited for a re-check as long as allowed; deny instead of holding again.
 */
export function decide(view: GateView, request: GateRequest, holdExpired = false): Decision {
  let verdict: Decision;
  try {
    // Learning mode never holds, so it reports against what is known now rather than after a re-check.
    verdict = decideEnforced(view.mode === 'learn' ? learnView(view) : view, request, holdExpired);
  } catch {
    // Fail closed: a bug here must never turn into a forwarded call.
    verdict = { action: 'deny', reason: `${PREFIX} the proxy could not check it (internal error).` };
  }
  if (view.mode === 'learn' && verdict.action !== 'allow') {
    return verdict.action === 'deny' ? { action: 'allow', wouldDeny: verdict.reason } : { action: 'allow' };
  }
  return verdict;
}

function learnView(view: GateView): GateView {
  const { instructionsPending: _pending, ...rest } = view;
  return { ...rest, toolsStale: false };
}

function decideEnforced(view: GateView, request: GateRequest, holdExpired: boolean): Decision {
  if (view.instructionsPending && !view.sessionBlock) {
    return holdExpired ? deny('the proxy could not compare the server\'s instructions with mcp.lock in time.') : { action: 'hold' };
  }
  switch (request.kind) {
    case 'tools/call': {
      if (typeof request.name !== 'string') return deny('the tool name is missing or not a string.');
      if (view.sessionBlock) return deny(view.sessionBlock);
      if (view.toolsStale) {
        return holdExpired ? deny('the server changed its tool list and the re-check did not finish in time.') : { action: 'hold' };
      }
      if (view.recheckFailed) return deny('the proxy could not re-check the server\'s tools against mcp.lock.');
      return fromVerdict('tool', view.tools.get(request.name) ?? { status: 'unknown' });
    }
    case 'prompts/get': {
      if (typeof request.name !== 'string') return deny('the prompt name is missing or not a string.');
      if (view.sessionBlock) return deny(view.sessionBlock);
      const seen = view.prompts.get(request.name);
      if (seen) return fromVerdict('prompt', seen);
      return view.lockedPrompts.has(request.name) ? { action: 'allow' } : fromVerdict('prompt', { status: 'unknown' });
    }
    case 'resources/read': {
      if (typeof request.uri !== 'string') return deny('the resource URI is missing or not a string.');
      if (view.sessionBlock) return deny(view.sessionBlock);
      const seen = view.resources.get(request.uri);
      if (seen && seen.status !== 'unknown') return fromVerdict('resource', seen);
      if (view.lockedResources.has(request.uri)) return { action: 'allow' };
      const uri = request.uri;
      if (view.resourceTemplates.some((matches) => matches(uri))) return { action: 'allow' };
      return fromVerdict('resource', { status: 'unknown' });
    }
  }
}

function fromVerdict(kind: 'tool' | 'prompt' | 'resource', verdict: Verdict): Decision {
  switch (verdict.status) {
    case 'ok':
      return { action: 'allow' };
    case 'drifted': {
      const what = [...new Set(verdict.changes.map((c) => `${c.field} (${c.kind})`))].join(', ');
      return deny(`this ${kind}'s definition changed since it was locked in mcp.lock: ${what}. ${REVIEW}`);
    }
    case 'unknown':
      return deny(`this ${kind} is not in mcp.lock, so it was never reviewed.`);
    case 'look-alike':
      return deny(`this ${kind} is not in mcp.lock and its name imitates a locked ${kind}.`);
    case 'removed':
      return deny(`this ${kind} is in mcp.lock but the server no longer lists it.`);
  }
}

function deny(why: string): Decision {
  return { action: 'deny', reason: `${PREFIX} ${why}` };
}

/** Whether a verdict keeps an entity in the list the client receives. */
export function isListable(verdict: Verdict, mode: GateView['mode']): boolean {
  return mode === 'learn' || verdict.status === 'ok';
}
