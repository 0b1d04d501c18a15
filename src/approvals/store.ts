// Out-of-band approvals (design §4): the proxy leaves a pending request in a private directory and
// waits; the user runs `mcp-guard approve ID` from another terminal. One file per request
// (`ID.request.json`) and at most one outcome per request (`ID.outcome.json`). The outcome is created
// with link(2), which fails if it exists, so the user's decision and the proxy's own timeout or
// withdrawal race for one atomic slot: whichever lands first is what happens, and `approve` reports
// success only when its decision is the one the waiting call will act on.

import { randomBytes } from 'node:crypto';
import { link, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { isatty } from 'node:tty';
import { GuardError } from '../errors.js';
import { newApprovalId, normalizeApprovalId } from './approval-id.js';
import { approvalDirectories, existingPrivateDirectories, preparePrivateDirectory } from './approval-directory.js';
import { boundPreview } from './arguments-preview.js';
import { descendsFrom, findClientProcess } from './process-tree.js';

/** Shorter than the ~60 s after which clients (SDK default, Claude Desktop) give up on a call. */
export const DEFAULT_APPROVAL_TIMEOUT_MS = 45_000;
export const DEFAULT_HEARTBEAT_MS = 5_000;
/** How often the waiting side looks for a decision: cheap (one failed open), quick enough for a human. */
export const POLL_INTERVAL_MS = 150;
/** Outcomes are kept this long after the call resolved, so a late `approve` can say what happened. */
export const TOMBSTONE_MS = 10 * 60_000;
/** A request this far past its expiry has no live waiter (a hung or killed proxy): it is removed. */
const EXPIRED_GRACE_MS = 60_000;
const TEMP_STALE_MS = 60_000;
const MAX_TEXT = 1_000;

export interface ApprovalRequest {
  id: string;
  server: string;
  tool: string;
  /** Bound: the decision applies to exactly these arguments (see hashArguments). */
  argumentsHash: string;
  /** Bound: the decision applies to the tool as locked with this digest. */
  lockDigest: string;
  /** Redacted and truncated; escaped when displayed. */
  argumentsPreview: string;
  /** Why the policy asked for approval. */
  reason: string;
  createdAt: string;
  expiresAt: string;
  /** The waiting proxy; a request whose process is gone is stale. */
  pid: number;
  host: string;
  /** The MCP client that started the proxy; an approve run from inside it (a model's shell tool) is refused. */
  clientPid?: number;
}

export interface ApprovalInput extends Pick<ApprovalRequest, 'server' | 'tool' | 'argumentsHash' | 'lockDigest' | 'argumentsPreview' | 'reason'> {
  /**
   * Left out, the store finds the client itself (the nearest ancestor that is not a shell or npm/npx).
   * null turns the check off: for embedding where the approver legitimately runs under the same parent.
   */
  clientPid?: number | null;
}
export type ApprovalOutcome = 'approved' | 'denied' | 'timeout' | 'withdrawn';
export type ApprovalDecision = 'approve' | 'deny';

export interface ApprovalWaitOptions {
  /** Defaults to DEFAULT_APPROVAL_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Aborting withdraws the request (the client cancelled the call). */
  signal?: AbortSignal;
  /** Called every heartbeatMs while waiting; the proxy turns it into a progress notification. */
  onHeartbeat?: (elapsedMs: number, remainingMs: number) => void;
  heartbeatMs?: number;
  /** Called once the request is visible to `mcp-guard approvals`, e.g. to tell the user on stderr. */
  onPending?: (request: ApprovalRequest) => void;
}

export interface ApprovalResult {
  id: string;
  outcome: ApprovalOutcome;
}

interface OutcomeRecord {
  v: 1;
  id: string;
  outcome: ApprovalOutcome;
  argumentsHash: string;
  lockDigest: string;
  time: string;
}

export interface ApprovalStoreOptions {
  env: Record<string, string | undefined>;
  home?: string;
  /** One fixed directory instead of the runtime/state candidates (tests, embedding). */
  dir?: string;
}

export class ApprovalStore {
  readonly directories: readonly string[];

  // No I/O here: a proxy started only to answer a version probe must leave nothing behind.
  constructor(options: ApprovalStoreOptions) {
    this.directories = options.dir
      ? [options.dir]
      : approvalDirectories(options.env, options.home ?? options.env['HOME'] ?? homedir());
  }

  /** Where this process files its own requests. */
  get primaryDirectory(): string {
    return this.directories[0]!;
  }

  /**
   * Proxy side: files a pending request and waits for the user. Resolves with the outcome; rejects only
   * when the request cannot be filed or watched (the caller must then deny: fail closed).
   */
  async request(input: ApprovalInput, options: ApprovalWaitOptions = {}): Promise<ApprovalResult> {
    const dir = this.primaryDirectory;
    await preparePrivateDirectory(dir);
    await sweepDirectory(dir, Date.now()).catch(() => undefined);
    const timeoutMs = Number.isFinite(options.timeoutMs) ? Math.max(0, options.timeoutMs!) : DEFAULT_APPROVAL_TIMEOUT_MS;
    const created = Date.now();
    const request: ApprovalRequest = {
      id: newApprovalId(),
      server: bounded(input.server),
      tool: bounded(input.tool),
      argumentsHash: bounded(input.argumentsHash),
      lockDigest: bounded(input.lockDigest),
      // Bounded again here so a caller that forgot cannot leave a secret in the directory.
      argumentsPreview: boundPreview(input.argumentsPreview),
      reason: bounded(input.reason),
      createdAt: new Date(created).toISOString(),
      expiresAt: new Date(created + timeoutMs).toISOString(),
      pid: process.pid,
      host: hostname(),
    };
    const clientPid = input.clientPid === undefined ? await clientOfThisProcess() : input.clientPid;
    if (clientPid !== null && clientPid !== undefined) request.clientPid = clientPid;
    const requestPath = requestFile(dir, request.id);
    await writeFileAtomically(dir, requestPath, JSON.stringify(request));
    try {
      options.onPending?.(request);
      const outcome = await waitForOutcome(dir, request, created + timeoutMs, options);
      return { id: request.id, outcome };
    } finally {
      // Consumed: whatever happened, this request can never be decided again. The outcome file stays
      // as a tombstone until the sweep, so a late `approve` explains itself instead of "unknown id".
      await unlink(requestPath).catch(() => undefined);
    }
  }

  /** Pending, unexpired requests whose proxy is still waiting, oldest first. */
  async list(): Promise<ApprovalRequest[]> {
    const now = Date.now();
    const pending: ApprovalRequest[] = [];
    for (const dir of await existingPrivateDirectories(this.directories)) {
      await sweepDirectory(dir, now);
      for (const name of await readdir(dir)) {
        const id = idOfRequestFile(name);
        if (id === undefined) continue;
        const request = await readRequest(dir, id);
        if (!request || Date.parse(request.expiresAt) <= now || !isWaiterAlive(request)) continue;
        if ((await readOutcome(dir, id)) !== undefined) continue;
        pending.push(request);
      }
    }
    return pending.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /**
   * CLI side: decides one pending request. Throws GuardError (code `usage`) for an id that is not
   * pending — unknown, expired, withdrawn, already decided — saying which.
   */
  async decide(idText: string, decision: ApprovalDecision): Promise<ApprovalRequest> {
    const id = normalizeApprovalId(idText);
    if (id === undefined) {
      throw new GuardError('usage', 'that is not an approval id (ids are 10 letters and digits, e.g. k3j9x2mqpa)', {
        hint: 'run `mcp-guard approvals` to see pending requests',
      });
    }
    for (const dir of await existingPrivateDirectories(this.directories)) {
      const earlier = await readOutcome(dir, id);
      if (earlier) throw alreadyResolved(id, earlier);
      const request = await readRequest(dir, id);
      if (!request) continue;
      if (!isWaiterAlive(request)) {
        await unlink(requestFile(dir, id)).catch(() => undefined);
        throw new GuardError('usage', `approval request ${id} is gone: the proxy that asked for it has exited`);
      }
      if (Date.now() >= Date.parse(request.expiresAt)) {
        throw new GuardError('usage', `approval request ${id} expired at ${request.expiresAt}: the call was refused, and approving it now has no effect`, {
          hint: 'ask the assistant to retry the call, then approve the new request',
        });
      }
      // Denying is always welcome; only an approval has to come from outside the client.
      if (decision === 'approve' && request.clientPid !== undefined && request.host === hostname()) {
        if (request.clientPid === process.pid || (await descendsFrom(process.pid, request.clientPid))) {
          throw new GuardError('usage', `refused to approve ${id} from inside the MCP client that asked for it (pid ${request.clientPid}): an assistant's shell tool runs there`, {
            hint: 'run `mcp-guard approve` from a separate terminal',
          });
        }
      }
      // The process-tree walk above takes time: the request may have expired meanwhile.
      if (decision === 'approve' && Date.now() >= Date.parse(request.expiresAt)) {
        throw new GuardError('usage', `approval request ${id} expired at ${request.expiresAt}: the call was refused, and approving it now has no effect`);
      }
      const record: OutcomeRecord = {
        v: 1,
        id,
        outcome: decision === 'approve' ? 'approved' : 'denied',
        argumentsHash: request.argumentsHash,
        lockDigest: request.lockDigest,
        time: new Date().toISOString(),
      };
      const winner = await claimOutcome(dir, record);
      if (winner !== record) throw alreadyResolved(id, winner);
      return request;
    }
    throw new GuardError('usage', `no pending approval request ${id}`, {
      hint: 'it may have expired or been withdrawn; run `mcp-guard approvals` to see pending requests',
    });
  }
}

let clientLookup: Promise<number | undefined> | undefined;

/**
 * The client does not change while the proxy runs, so it is looked up once per process. A proxy whose
 * stdin is a terminal was started by hand from a shell, not by a client: its nearest non-launcher
 * ancestor would be the terminal emulator or tmux, and every other tab descends from that.
 */
function clientOfThisProcess(): Promise<number | undefined> {
  if (isatty(0)) return Promise.resolve(undefined);
  clientLookup ??= findClientProcess().then(
    (client) => client?.pid,
    () => undefined,
  );
  return clientLookup;
}

async function waitForOutcome(
  dir: string,
  request: ApprovalRequest,
  deadline: number,
  options: ApprovalWaitOptions,
): Promise<ApprovalOutcome> {
  const started = Date.now();
  const heartbeatMs = Math.max(1, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  let nextHeartbeat = started + heartbeatMs;
  for (;;) {
    const found = await readOutcome(dir, request.id);
    if (found) return outcomeFor(request, found);
    if (options.signal?.aborted) return outcomeFor(request, await claimOutcome(dir, ownOutcome(request, 'withdrawn')));
    const now = Date.now();
    if (now >= deadline) return outcomeFor(request, await claimOutcome(dir, ownOutcome(request, 'timeout')));
    if (now >= nextHeartbeat) {
      nextHeartbeat = now + heartbeatMs;
      try {
        options.onHeartbeat?.(now - started, deadline - now);
      } catch {
        // A failing progress notification must not decide the call.
      }
    }
    await sleep(Math.min(POLL_INTERVAL_MS, deadline - now, Math.max(0, nextHeartbeat - now)), options.signal);
  }
}

/** A decision counts only if it names this request's exact arguments and lock digest; anything else denies. */
function outcomeFor(request: ApprovalRequest, record: OutcomeRecord): ApprovalOutcome {
  if (record.outcome === 'timeout' || record.outcome === 'withdrawn') return record.outcome;
  const bound = record.id === request.id && record.argumentsHash === request.argumentsHash && record.lockDigest === request.lockDigest;
  // An approval recorded after the request's deadline never executes, whoever won the race to record it.
  if (record.outcome === 'approved' && !(Date.parse(record.time) < Date.parse(request.expiresAt))) return 'timeout';
  return bound && record.outcome === 'approved' ? 'approved' : 'denied';
}

function ownOutcome(request: ApprovalRequest, outcome: 'timeout' | 'withdrawn'): OutcomeRecord {
  return { v: 1, id: request.id, outcome, argumentsHash: request.argumentsHash, lockDigest: request.lockDigest, time: new Date().toISOString() };
}

/** Creates the outcome if there is none yet; returns the record that holds the slot (ours or the earlier one). */
async function claimOutcome(dir: string, record: OutcomeRecord): Promise<OutcomeRecord> {
  const temp = tempFile(dir, record.id);
  await writeFile(temp, JSON.stringify(record), { flag: 'wx', mode: 0o600 });
  try {
    await link(temp, outcomeFile(dir, record.id));
    return record;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const earlier = await readOutcome(dir, record.id);
    // Present a moment ago and unreadable now only if someone removed it by hand: treat as refused.
    return earlier ?? { ...record, outcome: 'denied' };
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

function alreadyResolved(id: string, record: OutcomeRecord): GuardError {
  const when = record.time;
  switch (record.outcome) {
    case 'approved':
      return new GuardError('usage', `approval request ${id} was already approved (${when}); an approval is used once`);
    case 'denied':
      return new GuardError('usage', `approval request ${id} was already denied (${when})`);
    case 'timeout':
      return new GuardError('usage', `approval request ${id} timed out at ${when}: the call was refused, and approving it now has no effect`, {
        hint: 'ask the assistant to retry the call, then approve the new request',
      });
    case 'withdrawn':
      return new GuardError('usage', `approval request ${id} was withdrawn at ${when}: the client cancelled the call`);
  }
}

/**
 * Removes what no live proxy waits for: requests whose process died (same host only: a pid means
 * nothing elsewhere) or that expired long ago, old tombstones, and temp files of crashed writers.
 */
async function sweepDirectory(dir: string, now: number): Promise<void> {
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    const requestId = idOfRequestFile(name);
    if (requestId !== undefined) {
      const request = await readRequest(dir, requestId);
      if (request) {
        if (!isWaiterAlive(request) || now > Date.parse(request.expiresAt) + EXPIRED_GRACE_MS) await unlink(path).catch(() => undefined);
      } else if (await isOlderThan(path, now, EXPIRED_GRACE_MS)) {
        await unlink(path).catch(() => undefined);
      }
    } else if (name.endsWith('.outcome.json')) {
      if (await isOlderThan(path, now, TOMBSTONE_MS)) await unlink(path).catch(() => undefined);
    } else if (name.endsWith('.tmp') && (await isOlderThan(path, now, TEMP_STALE_MS))) {
      await unlink(path).catch(() => undefined);
    }
  }
}

async function isOlderThan(path: string, now: number, ms: number): Promise<boolean> {
  try {
    return now - (await stat(path)).mtimeMs > ms;
  } catch {
    return false;
  }
}

function isWaiterAlive(request: ApprovalRequest): boolean {
  if (request.host !== hostname()) return true;
  try {
    process.kill(request.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readRequest(dir: string, id: string): Promise<ApprovalRequest | undefined> {
  const value = await readJson(requestFile(dir, id));
  if (!isRecord(value)) return undefined;
  const fields = ['id', 'server', 'tool', 'argumentsHash', 'lockDigest', 'argumentsPreview', 'reason', 'createdAt', 'expiresAt', 'host'] as const;
  if (value['id'] !== id || !fields.every((field) => typeof value[field] === 'string')) return undefined;
  if (typeof value['pid'] !== 'number' || !Number.isInteger(value['pid']) || value['pid'] <= 0) return undefined;
  if (Number.isNaN(Date.parse(value['expiresAt'] as string)) || Number.isNaN(Date.parse(value['createdAt'] as string))) return undefined;
  const request = {} as Record<string, unknown>;
  for (const field of fields) request[field] = value[field];
  request['pid'] = value['pid'];
  if (typeof value['clientPid'] === 'number' && Number.isInteger(value['clientPid'])) request['clientPid'] = value['clientPid'];
  return request as unknown as ApprovalRequest;
}

async function readOutcome(dir: string, id: string): Promise<OutcomeRecord | undefined> {
  const value = await readJson(outcomeFile(dir, id));
  if (value === undefined) return undefined;
  const outcomes: readonly unknown[] = ['approved', 'denied', 'timeout', 'withdrawn'];
  if (
    isRecord(value) &&
    value['id'] === id &&
    outcomes.includes(value['outcome']) &&
    typeof value['argumentsHash'] === 'string' &&
    typeof value['lockDigest'] === 'string' &&
    typeof value['time'] === 'string'
  ) {
    return value as unknown as OutcomeRecord;
  }
  // An outcome file that is not one of ours still fills the slot; it can only ever refuse.
  return { v: 1, id, outcome: 'denied', argumentsHash: '', lockDigest: '', time: 'an unknown time' };
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Temp file then rename: a reader sees the whole request or none of it. */
async function writeFileAtomically(dir: string, path: string, content: string): Promise<void> {
  const temp = tempFile(dir, 'request');
  await writeFile(temp, content, { flag: 'wx', mode: 0o600 });
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

function requestFile(dir: string, id: string): string {
  return join(dir, `${id}.request.json`);
}

function outcomeFile(dir: string, id: string): string {
  return join(dir, `${id}.outcome.json`);
}

function tempFile(dir: string, label: string): string {
  return join(dir, `.${label}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

function idOfRequestFile(name: string): string | undefined {
  if (!name.endsWith('.request.json')) return undefined;
  const id = name.slice(0, -'.request.json'.length);
  return normalizeApprovalId(id) === id ? id : undefined;
}

function bounded(text: string): string {
  const value = String(text);
  return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
