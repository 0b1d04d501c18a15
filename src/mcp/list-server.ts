// Connect to one configured server and read everything it exposes, as raw wire JSON, through every
// page. Server problems never throw: they become a ListFailure so a scan can say "could not list"
// instead of "clean".
import { setMaxListeners } from 'node:events';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import {
  type ClientCapabilities,
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ErrorCode,
  LATEST_PROTOCOL_VERSION,
  ListRootsRequestSchema,
  McpError,
  ResultSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { escapeForDisplay } from '../findings/escape.js';
import { redact, REDACTED } from '../findings/redact.js';
import type { JsonObject, ListFailure, ListOutcome, ServerEntry, ServerSnapshot } from '../model.js';
import { VERSION } from '../version.js';
import { spawnServerProcess, type ServerProcess } from './child-process.js';
import { ChildStdioTransport, MessageTooLargeError } from './child-stdio-transport.js';
import { listAllPages, ListingError, type ListMethod, type PageBudget } from './list-entities.js';
import { createRemoteTransport, httpStatusOf, isAuthError, shouldFallBackToSse, type RemoteKind } from './remote-transport.js';
import { readDiscovery, refusesLegacyInitialize, REVISION_2026, Revision2026Transport, supportedVersionsOf } from './revision-2026.js';
import { isJsonObject, WireTap, type ListKind } from './wire-tap.js';

/** What a typical host declares; server-everything, for one, shows more tools to such a client. */
/** Accepts everything: used only by the lister, which never validates tool results (see connectWith). */
const NO_SCHEMA_VALIDATION: jsonSchemaValidator = {
  getValidator<T>(): JsonSchemaValidator<T> {
    return (input: unknown) => ({ valid: true, data: input as T, errorMessage: undefined });
  },
};

export const DEFAULT_CLIENT_CAPABILITIES: JsonObject = {
  roots: { listChanged: true },
  sampling: {},
  elicitation: {},
};

export interface ListOptions {
  /** Covers spawn, initialize and every page of every list. */
  timeoutMs: number;
  clientCapabilities?: JsonObject;
  signal?: AbortSignal;
  /** Pages per list method before the server counts as 'too-large'. */
  maxPages?: number;
  /** Entities across all lists of one server before it counts as 'too-large'. */
  maxEntities?: number;
  /** Largest single stdio message accepted. */
  maxMessageBytes?: number;
}

export const DEFAULT_MAX_PAGES = 1_000;
export const DEFAULT_MAX_ENTITIES = 50_000;
/** Clients start every configured server at once; a scan of a typical config does the same. */
export const DEFAULT_CONCURRENCY = 20;
/** A list that keeps changing while we read it is read again, but not forever. */
const MAX_LIST_ROUNDS = 3;

export async function listServer(entry: ServerEntry, options: ListOptions): Promise<ListOutcome> {
  const started = performance.now();
  let result: AttemptResult;
  try {
    result = await new ListAttempt(entry, options).run();
  } catch (error) {
    // run() classifies every server problem itself; this only guards the promise of never throwing.
    result = { ok: false, error: { code: 'protocol-error', message: redact(`unexpected error while listing: ${describeError(error)}`) } };
  }
  const durationMs = Math.round(performance.now() - started);
  return result.ok
    ? { server: entry.name, ok: true, snapshot: result.snapshot, durationMs }
    : { server: entry.name, ok: false, error: result.error, durationMs };
}

/** Lists servers concurrently (a scan should take about as long as its slowest server); keeps input order. */
export async function listServers(
  entries: ServerEntry[],
  options: ListOptions & { concurrency?: number },
): Promise<ListOutcome[]> {
  const outcomes = new Array<ListOutcome>(entries.length);
  const workers = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, entries.length));
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < entries.length) {
        const index = next++;
        outcomes[index] = await listServer(entries[index] as ServerEntry, options);
      }
    }),
  );
  return outcomes;
}

type AttemptResult = { ok: true; snapshot: ServerSnapshot } | { ok: false; error: ListFailure };

/** What the opening handshake (initialize, or server/discover in the 2026-07-28 era) told us. */
interface Opening {
  tap: WireTap;
  protocolVersion: string;
  serverInfo: JsonObject;
  serverCapabilities: JsonObject;
  instructions?: string;
}

/** What the lister speaks, for messages about a server that speaks something else. */
const SPOKEN_REVISIONS = `up to ${LATEST_PROTOCOL_VERSION}, and ${REVISION_2026} over stdio`;

class ListAttempt {
  private readonly controller = new AbortController();
  private failure: ListFailure | undefined;
  private phase = 'starting';
  private process: ServerProcess | undefined;
  private stdio: ChildStdioTransport | undefined;
  private client: Client | undefined;
  private remoteTransport: Transport | undefined;
  private readonly notes: string[] = [];
  private readonly clientCapabilities: JsonObject;
  /** Set once the server refused initialize and we started it again for the 2026-07-28 revision. */
  private spokeRevision2026 = false;

  constructor(
    private readonly entry: ServerEntry,
    private readonly options: ListOptions,
  ) {
    // The SDK adds an abort listener per request and never removes it; a long paginated listing is
    // not a leak, so silence the warning for this one signal.
    setMaxListeners(0, this.controller.signal);
    this.clientCapabilities = options.clientCapabilities ?? DEFAULT_CLIENT_CAPABILITIES;
  }

  async run(): Promise<AttemptResult> {
    const timer = setTimeout(
      () => this.stop({ code: 'timeout', message: `timed out after ${this.options.timeoutMs} ms while ${this.phase}` }),
      this.options.timeoutMs,
    );
    const onCancel = (): void => this.stop({ code: 'connect-failed', message: `listing was cancelled while ${this.phase}` });
    if (this.options.signal?.aborted) onCancel();
    this.options.signal?.addEventListener('abort', onCancel, { once: true });

    const aborted = new Promise<never>((_, reject) => {
      const signal = this.controller.signal;
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
    const work = this.listEverything();
    // Whichever loses the race must not surface as an unhandled rejection.
    work.catch(() => undefined);
    aborted.catch(() => undefined);
    try {
      const snapshot = await Promise.race([work, aborted]);
      return { ok: true, snapshot };
    } catch (error) {
      return { ok: false, error: await this.classify(error) };
    } finally {
      clearTimeout(timer);
      this.options.signal?.removeEventListener('abort', onCancel);
      await this.closeQuietly();
    }
  }

  private stop(failure: ListFailure): void {
    if (this.failure) return;
    this.failure = failure;
    this.controller.abort(new ListingError(failure.code, failure.message));
  }

  private async listEverything(): Promise<ServerSnapshot> {
    const opening = await this.open();
    const { tap, serverCapabilities } = opening;
    const budget: PageBudget = {
      maxPages: this.options.maxPages ?? DEFAULT_MAX_PAGES,
      entitiesLeft: this.options.maxEntities ?? DEFAULT_MAX_ENTITIES,
    };

    const snapshot: ServerSnapshot = {
      server: this.entry.name,
      protocolVersion: opening.protocolVersion,
      serverInfo: opening.serverInfo,
      serverCapabilities,
      clientCapabilities: this.clientCapabilities,
      tools: [],
      prompts: [],
      resources: [],
      resourceTemplates: [],
      notes: this.notes,
    };
    if (opening.instructions !== undefined) snapshot.instructions = opening.instructions;

    if (serverCapabilities.tools !== undefined) {
      snapshot.tools = await this.listStable(tap, 'tools', ['tools/list'], budget).then((lists) => lists[0] ?? []);
    } else {
      this.notes.push('the server declared no tools capability; tools/list was not called');
    }
    if (serverCapabilities.prompts !== undefined) {
      snapshot.prompts = await this.listStable(tap, 'prompts', ['prompts/list'], budget).then((lists) => lists[0] ?? []);
    }
    if (serverCapabilities.resources !== undefined) {
      const [resources, templates] = await this.listStable(
        tap,
        'resources',
        ['resources/list', 'resources/templates/list'],
        budget,
      );
      snapshot.resources = resources ?? [];
      snapshot.resourceTemplates = templates ?? [];
    }

    if (this.stdio && this.stdio.noiseLineCount > 0) {
      const samples = this.stdio.noiseSamples.map((line) => `"${escapeForDisplay(this.redact(line))}"`).join(', ');
      this.notes.push(
        `ignored ${this.stdio.noiseLineCount} non-JSON stdout line${this.stdio.noiseLineCount === 1 ? '' : 's'} (e.g. ${samples})`,
      );
    }
    if (this.stdio?.fatalError) throw this.stdio.fatalError;
    return snapshot;
  }

  /**
   * Lists, and lists again while `list_changed` notifications for that kind arrive meanwhile: servers
   * such as server-everything register tools right after initialization and announce them that way.
   */
  private async listStable(tap: WireTap, kind: ListKind, methods: ListMethod[], budget: PageBudget): Promise<JsonObject[][]> {
    for (let round = 1; ; round++) {
      const changesBefore = tap.listChanged[kind];
      const roundBudget: PageBudget = { ...budget };
      const lists: JsonObject[][] = [];
      for (const method of methods) lists.push(await this.listOne(method, roundBudget));
      const changedMeanwhile = tap.listChanged[kind] !== changesBefore;
      if (!changedMeanwhile || round === MAX_LIST_ROUNDS) {
        if (changedMeanwhile) {
          this.notes.push(`${kind} kept changing while being listed (${round} rounds); the last listing is kept`);
        }
        budget.entitiesLeft = roundBudget.entitiesLeft;
        return lists;
      }
    }
  }

  private async listOne(method: ListMethod, budget: PageBudget): Promise<JsonObject[]> {
    const client = this.client;
    if (!client) throw new Error('not connected');
    const listed = await listAllPages(client, method, budget, {
      signal: this.controller.signal,
      timeoutMs: this.requestTimeoutMs(),
      onPage: (page) => {
        this.phase = `listing ${method} (page ${page})`;
      },
    });
    if (listed.notImplemented) {
      this.notes.push(`the server declared the capability but does not implement ${method}`);
    }
    if (listed.malformed > 0) {
      this.notes.push(`${method}: skipped ${listed.malformed} entr${listed.malformed === 1 ? 'y' : 'ies'} that were not JSON objects`);
    }
    return listed.items;
  }

  private async open(): Promise<Opening> {
    let tap: WireTap;
    try {
      tap = await this.connect();
    } catch (error) {
      // Remote servers negotiate the era over HTTP headers, which this lister does not speak yet.
      if (this.entry.transport !== 'stdio' || this.failure || !refusesLegacyInitialize(error)) throw error;
      return this.openRevision2026();
    }
    const init = tap.initializeResult;
    if (!init) throw new ListingError('protocol-error', 'the server sent no initialize result');
    const opening: Opening = {
      tap,
      protocolVersion: typeof init.protocolVersion === 'string' ? init.protocolVersion : '',
      serverInfo: isJsonObject(init.serverInfo) ? init.serverInfo : {},
      serverCapabilities: isJsonObject(init.capabilities) ? init.capabilities : {},
    };
    if (typeof init.instructions === 'string') opening.instructions = init.instructions;
    return opening;
  }

  /**
   * A server that speaks only the 2026-07-28 revision refuses initialize. It gets a fresh process (as a
   * v2 client's probe-then-session start does, facts.md): the refused one has nothing more to say.
   */
  private async openRevision2026(): Promise<Opening> {
    this.spokeRevision2026 = true;
    this.notes.push(`the server refused the ${LATEST_PROTOCOL_VERSION} initialize as an unsupported protocol version; listed it with the ${REVISION_2026} revision (server/discover)`);
    await this.closeQuietly();
    this.process = undefined;
    this.stdio = undefined;
    if (this.failure) throw this.controller.signal.reason;

    const revision = new Revision2026Transport(await this.spawnStdio(), this.clientCapabilities, { name: 'mcp-guard', version: VERSION });
    const tap = await this.connectWith(revision, 'stdio', `opening a ${REVISION_2026} session`);
    const client = this.client;
    if (!client) throw new Error('not connected');
    this.phase = 'discovering (server/discover)';
    await client.request({ method: 'server/discover', params: {} }, ResultSchema, {
      signal: this.controller.signal,
      timeout: this.requestTimeoutMs(),
    });
    const raw = revision.discoverResult;
    const discovery = raw ? readDiscovery(raw) : undefined;
    if (!discovery) throw new ListingError('protocol-error', 'the server/discover result has no supportedVersions list');
    if (!discovery.supportedVersions.includes(REVISION_2026)) {
      throw new ListingError(
        'protocol-error',
        `the server supports protocol versions ${quoteVersions(discovery.supportedVersions)}, none of which the lister speaks (${SPOKEN_REVISIONS})`,
      );
    }
    const opening: Opening = {
      tap,
      protocolVersion: REVISION_2026,
      serverInfo: discovery.serverInfo,
      serverCapabilities: discovery.serverCapabilities,
    };
    if (discovery.instructions !== undefined) opening.instructions = discovery.instructions;
    return opening;
  }

  private async connect(): Promise<WireTap> {
    if (this.entry.transport === 'stdio') return this.connectStdio();
    if (!this.entry.url) throw new ListingError('connect-failed', 'the entry has no URL');
    let url: URL;
    try {
      url = new URL(this.entry.url);
    } catch {
      throw new ListingError('connect-failed', 'the entry URL is not a valid URL');
    }
    if (this.entry.transport === 'sse') return this.connectWith(createRemoteTransport('sse', url, this.entry.headers), 'sse');
    try {
      return await this.connectWith(createRemoteTransport('streamable-http', url, this.entry.headers), 'streamable-http');
    } catch (error) {
      if (!shouldFallBackToSse(error) || this.failure) throw error;
      await this.closeClient();
      this.notes.push(`streamable HTTP was refused (${(error as Error).message.slice(0, 80)}); fell back to the SSE transport`);
      return this.connectWith(createRemoteTransport('sse', url, this.entry.headers), 'sse');
    }
  }

  private async connectStdio(): Promise<WireTap> {
    return this.connectWith(await this.spawnStdio(), 'stdio');
  }

  private async spawnStdio(): Promise<ChildStdioTransport> {
    const { command } = this.entry;
    if (!command) throw new ListingError('spawn-failed', 'the entry has no command');
    this.phase = 'starting the server process';
    const spawned = await spawnServerProcess({
      command,
      args: this.entry.args ?? [],
      ...(this.entry.env ? { env: this.entry.env } : {}),
      ...(this.entry.cwd ? { cwd: this.entry.cwd } : {}),
    });
    if (!spawned.ok) throw new ListingError('spawn-failed', spawned.message);
    // Timed out while spawning: cleanup already ran, so this process is ours alone to shut down.
    if (this.failure) {
      await spawned.process.shutdown();
      throw this.controller.signal.reason;
    }
    this.process = spawned.process;
    this.stdio = new ChildStdioTransport(spawned.process, this.options.maxMessageBytes);
    return this.stdio;
  }

  private async connectWith(transport: Transport, kind: RemoteKind | 'stdio', phase?: string): Promise<WireTap> {
    this.phase = phase ?? (kind === 'stdio' ? 'initializing' : `initializing over ${kind === 'sse' ? 'SSE' : 'streamable HTTP'}`);
    const tap = new WireTap(transport);
    tap.onerror = (error) => {
      if (error instanceof MessageTooLargeError) this.stop({ code: 'too-large', message: this.redact(error.message) });
    };
    const client = new Client(
      { name: 'mcp-guard', version: VERSION },
      // Declared as given: a JsonObject is what ClientCapabilities is on the wire. The lister never calls a
      // tool, so nothing needs validating against a schema; the SDK's default validator builds an ajv
      // instance per client (~20 ms of CPU each, measured on a 20-server scan).
      { capabilities: this.clientCapabilities as ClientCapabilities, jsonSchemaValidator: NO_SCHEMA_VALIDATION },
    );
    this.answerServerRequests(client);
    this.client = client;
    if (kind !== 'stdio') this.remoteTransport = transport;
    await client.connect(tap, { signal: this.controller.signal, timeout: this.requestTimeoutMs() });
    return tap;
  }

  /** Server→client requests during listing get quick, harmless answers so nothing waits on us. */
  private answerServerRequests(client: Client): void {
    const declared = this.clientCapabilities;
    if (declared.roots !== undefined) client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [] }));
    if (declared.sampling !== undefined) {
      client.setRequestHandler(CreateMessageRequestSchema, () => {
        throw new McpError(ErrorCode.InvalidRequest, 'mcp-guard is only listing this server and does not sample');
      });
    }
    if (declared.elicitation !== undefined) client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'decline' as const }));
  }

  private requestTimeoutMs(): number {
    // Our own deadline must fire first; the SDK's per-request default (60 s) must never cut in.
    return this.options.timeoutMs + 1_000;
  }

  private async classify(error: unknown): Promise<ListFailure> {
    const tail = async (): Promise<string> => {
      if (!this.process) return '';
      // After an exit, let the stderr pipe drain so the last (most telling) line is in the tail.
      if (this.process.exitStatus) await Promise.race([this.process.closed, delay(2_000)]);
      const text = this.process.stderrTail();
      return text ? `; stderr: ${this.redact(text)}` : '';
    };

    if (this.failure) {
      return this.failure.code === 'timeout' ? { ...this.failure, message: this.failure.message + (await tail()) } : this.failure;
    }
    if (this.stdio?.fatalError instanceof MessageTooLargeError) {
      return { code: 'too-large', message: this.redact(this.stdio.fatalError.message) };
    }
    if (error instanceof ListingError) {
      return { code: error.code, message: this.redact(error.message) + (error.code === 'spawn-failed' ? '' : await tail()) };
    }
    // A JSON-RPC error the server sent explains more than the exit that may follow it (a server that
    // refuses our protocol version answers initialize with an error, then exits when we hang up).
    if (error instanceof McpError && error.code !== ErrorCode.ConnectionClosed && error.code !== ErrorCode.RequestTimeout) {
      const versionHint = this.spokeRevision2026 || !/protocol version/i.test(error.message) ? '' : this.versionHint(error);
      return { code: 'protocol-error', message: `the server answered with an error while ${this.phase}: ${this.redact(describeError(error))}${versionHint}${await tail()}` };
    }
    if (this.process) {
      await Promise.race([this.process.exited, delay(500)]);
      const exit = this.process.exitStatus;
      if (exit) {
        const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
        return { code: 'exited', message: `the server ${how} while ${this.phase}${await tail()}` };
      }
    }
    const message = this.redact(describeError(error));
    if (this.entry.transport !== 'stdio') {
      if (isAuthError(error)) {
        // Callers prefix failures with "could not list: "; the message completes that sentence.
        const status = httpStatusOf(error);
        return { code: 'auth-required', message: `server requires authentication (${status ? `HTTP ${status}: ` : ''}${message})` };
      }
      if (!(error instanceof McpError)) return { code: 'connect-failed', message: `${message} while ${this.phase}` };
    }
    return { code: 'protocol-error', message: `${message} while ${this.phase}${await tail()}` };
  }

  private versionHint(error: McpError): string {
    const supported = supportedVersionsOf(error.data);
    const speaks = `the lister speaks ${SPOKEN_REVISIONS}`;
    return supported
      ? ` (the server supports ${this.redact(quoteVersions(supported))}; ${speaks})`
      : ` (the server may speak only a newer protocol revision; ${speaks})`;
  }

  private async closeClient(): Promise<void> {
    const client = this.client;
    const transport = this.remoteTransport;
    this.client = undefined;
    this.remoteTransport = undefined;
    // A stateful HTTP server keeps our session until told otherwise; a hung server must not hold us.
    if (transport instanceof StreamableHTTPClientTransport && transport.sessionId !== undefined) {
      await Promise.race([transport.terminateSession().catch(() => undefined), delay(1_000)]);
    }
    try {
      await client?.close();
    } catch {
      // Closing a half-open session can fail; the process shutdown below still runs.
    }
  }

  private async closeQuietly(): Promise<void> {
    await this.closeClient();
    await this.process?.shutdown();
  }

  /** Error text may quote the server's stderr or the entry's own secrets: mask both. */
  private redact(text: string): string {
    let out = text;
    for (const value of [...Object.values(this.entry.env ?? {}), ...Object.values(this.entry.headers ?? {})]) {
      if (value.length >= 6) out = out.split(value).join(REDACTED);
    }
    return redact(out);
  }
}

/** Error text with its cause's code: fetch reports "fetch failed" and hides ECONNREFUSED in `cause`. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : undefined;
  return detail && !error.message.includes(detail) ? `${error.message} (${detail})` : error.message;
}

/** Server-chosen strings, escaped so a version list cannot smuggle control characters into output. */
function quoteVersions(versions: string[]): string {
  return versions.map((version) => `"${escapeForDisplay(version)}"`).join(', ') || '(none)';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
