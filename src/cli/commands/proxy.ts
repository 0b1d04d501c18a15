import { appendFileSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { GuardError } from '../../errors.js';
import { pathExists } from '../../io/path-exists.js';
import { redact, registerSecrets } from '../../findings/redact.js';
import type { ApprovalStore } from '../../approvals/store.js';
import type { LockedEntity } from '../../lock/lock-file.js';
import type { CallPolicy } from '../../proxy/call-policy.js';
import { ChildUpstream, type Upstream, type UpstreamExit, type UpstreamHandlers } from '../../proxy/child.js';
import type { DriftEvent } from '../../proxy/gate-state.js';
import type { DecisionEvent, RelayGate } from '../../proxy/relay.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo, Command } from '../io.js';

const USAGE =
  'usage: mcp-guard proxy [--lock FILE] [--name NAME] [--policy FILE] [--audit FILE] [--audit-values]\n' +
  '                       [--approval-timeout MS] [--learn] [--report FILE] [--recheck-interval MS]\n' +
  '                       [--hold-timeout MS] -- COMMAND [ARG]...\n' +
  '       mcp-guard proxy [same options] (--url URL | --url-env ENVVAR) [--header NAME=VALUE]... [--header-env NAME=ENVVAR]...\n' +
  '\n' +
  '  --lock FILE             the reviewed lock (default ./mcp.lock); without a valid one the session is refused\n' +
  '  --name NAME             the server\'s name in the lock (needed when the lock holds several)\n' +
  '  --policy FILE           project policy for tools/call (docs/policy.md), applied after the lock check;\n' +
  '                          the user policy (~/.config/mcp-guard/policy.yaml) applies too, stricter wins;\n' +
  '                          a policy that does not load refuses the session; tools it denies whatever\n' +
  '                          the arguments are left out of tools/list\n' +
  '  --audit FILE            audit log (default: audit.jsonl in the state directory); one record per decision\n' +
  '  --audit-values          also record argument values (redacted, truncated); default: hash and shape only\n' +
  '  --approval-timeout MS   how long an `approve` call waits before it is denied (default 45000); asked\n' +
  '                          through the client (elicitation) when it supports that, else out of band:\n' +
  '                          `mcp-guard approvals` / `mcp-guard approve ID` in another terminal\n' +
  '  --learn                 report drift against the lock instead of blocking it (the policy still applies)\n' +
  '  --report FILE           append drift and denial events as JSON lines\n' +
  '  --recheck-interval MS   re-list the tools at most this often after calls (0 = after every call)\n' +
  '  --hold-timeout MS       how long a call waits for a tool-list re-check before it is denied\n' +
  '  --url URL               the remote (streamable HTTP or SSE) server to relay instead of a command\n' +
  '  --url-env VAR           the same, with the URL read from environment variable VAR: for URLs that carry\n' +
  '                          a credential (`?api_key=…`), which --url would show in `ps`\n' +
  '  --header NAME=VALUE     an HTTP header for --url (visible in `ps`: prefer --header-env for credentials)\n' +
  '  --header-env NAME=VAR   an HTTP header for --url whose value is read from environment variable VAR';

// The same figures as the approval store's defaults (src/approvals/store.ts, checked by a test); not
// imported from there because that module is not needed to start the proxy.
export const DEFAULT_APPROVAL_TIMEOUT_MS = 45_000;
export const DEFAULT_HEARTBEAT_MS = 5_000;

const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

export const proxyCommand: Command = async (args, io) => {
  // Everything after `--` belongs to the server, including flags that look like ours.
  const separator = args.indexOf('--');
  const ownArgs = separator === -1 ? args : args.slice(0, separator);
  const serverArgv = separator === -1 ? [] : args.slice(separator + 1);
  let parsed;
  try {
    parsed = parseArgs({
      args: ownArgs,
      options: {
        lock: { type: 'string' },
        name: { type: 'string' },
        learn: { type: 'boolean' },
        report: { type: 'string' },
        url: { type: 'string' },
        'url-env': { type: 'string' },
        header: { type: 'string', multiple: true },
        'header-env': { type: 'string', multiple: true },
        'recheck-interval': { type: 'string' },
        'hold-timeout': { type: 'string' },
        policy: { type: 'string' },
        audit: { type: 'string' },
        'audit-values': { type: 'boolean' },
        'approval-timeout': { type: 'string' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    io.stderr.write(`mcp-guard proxy: ${(error as Error).message}\n${USAGE}\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (positionals.length > 0) {
    io.stderr.write(`mcp-guard proxy: put the server command after --\n${USAGE}\n`);
    return EXIT.usage;
  }
  const recheck = values['recheck-interval'];
  if (recheck !== undefined && !/^\d+$/.test(recheck)) {
    io.stderr.write('mcp-guard proxy: --recheck-interval takes a number of milliseconds (0 = after every call)\n');
    return EXIT.usage;
  }
  const holdTimeout = values['hold-timeout'];
  if (holdTimeout !== undefined && !/^[1-9]\d*$/.test(holdTimeout)) {
    io.stderr.write('mcp-guard proxy: --hold-timeout takes a positive number of milliseconds\n');
    return EXIT.usage;
  }
  const approvalTimeout = values['approval-timeout'];
  if (approvalTimeout !== undefined && !/^[1-9]\d*$/.test(approvalTimeout)) {
    io.stderr.write('mcp-guard proxy: --approval-timeout takes a positive number of milliseconds\n');
    return EXIT.usage;
  }
  let remote: { url: URL; headers: Record<string, string> } | undefined;
  const urlEnv = values['url-env'];
  if ([values.url !== undefined, urlEnv !== undefined, serverArgv.length > 0].filter(Boolean).length > 1) {
    io.stderr.write(`mcp-guard proxy: give exactly one of --url, --url-env or a server command after --\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (values.url !== undefined || urlEnv !== undefined) {
    const { urlCredentialParts } = await import('../../wrap/url-credentials.js');
    const url = readRemoteUrl(values.url, urlEnv, io.env, urlCredentialParts);
    if (typeof url === 'string') {
      io.stderr.write(`mcp-guard proxy: ${url}\n`);
      return EXIT.usage;
    }
    const headers: Record<string, string> = {};
    for (const header of values.header ?? []) {
      const eq = header.indexOf('=');
      if (eq <= 0) {
        io.stderr.write('mcp-guard proxy: --header takes NAME=VALUE\n');
        return EXIT.usage;
      }
      headers[header.slice(0, eq).trim()] = header.slice(eq + 1);
    }
    // Values read from the environment never appear in argv (`ps`, client configs); wrap writes these.
    for (const pair of values['header-env'] ?? []) {
      const eq = pair.indexOf('=');
      const name = eq <= 0 ? '' : pair.slice(0, eq).trim();
      const variable = eq <= 0 ? '' : pair.slice(eq + 1);
      if (name === '' || variable === '') {
        io.stderr.write('mcp-guard proxy: --header-env takes NAME=ENVVAR\n');
        return EXIT.usage;
      }
      const value = io.env[variable];
      if (value === undefined) {
        io.stderr.write(`mcp-guard proxy: --header-env ${name}: environment variable ${variable} is not set\n`);
        return EXIT.usage;
      }
      headers[name] = value;
    }
    registerHeaderSecrets(Object.values(headers));
    remote = { url, headers };
  } else if ((values.header ?? []).length > 0 || (values['header-env'] ?? []).length > 0) {
    io.stderr.write('mcp-guard proxy: --header and --header-env only apply with --url or --url-env\n');
    return EXIT.usage;
  }
  const [command, ...commandArgs] = serverArgv;
  if (command === undefined && remote === undefined) {
    io.stderr.write(`mcp-guard proxy: missing the server command after -- (or --url / --url-env)\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (!io.stdin || typeof (io.stdout as Partial<Writable>).once !== 'function') {
    io.stderr.write('mcp-guard proxy: needs real stdin/stdout streams\n');
    return EXIT.usage;
  }
  const clientIn = io.stdin as Readable;
  const clientOut = io.stdout as unknown as Writable;
  const log = (line: string): void => {
    io.stderr.write(`${redact(line)}\n`);
  };
  const reportFile = values.report === undefined ? undefined : resolve(io.cwd, values.report);
  const onEvent = (event: DriftEvent | DecisionEvent): void => {
    const line = JSON.stringify(event);
    log(line);
    if (reportFile) {
      try {
        appendFileSync(reportFile, `${line}\n`);
      } catch (error) {
        log(`mcp-guard proxy: could not append to --report file: ${(error as Error).message}`);
      }
    }
  };

  const lockPath = resolve(io.cwd, values.lock ?? 'mcp.lock');
  const learn = values.learn === true;
  const childOptions = { env: io.env as NodeJS.ProcessEnv, cwd: io.cwd };
  // Start-up latency: validating the lock costs more than starting a server, so when the lock plainly
  // names this server (someone locked it, i.e. reviewed it) the server starts while the lock is checked.
  // It receives nothing until the check passes, and is killed unheard if it fails.
  const early = command !== undefined && lockNamesServer(lockPath, values.name) ? new DeferredHandlers() : undefined;
  const earlyChild = early && command !== undefined ? new ChildUpstream(command, commandArgs, early, childOptions) : undefined;
  const policyPath = values.policy === undefined ? undefined : resolve(io.cwd, values.policy);
  let gate: RelayGate;
  let lockedTools: ReadonlyMap<string, LockedEntity> | undefined;
  let serverName = values.name ?? '';
  // The relay and everything behind it are imported only now, after the early start: a server's own
  // start-up (hundreds of ms for an SDK server) then overlaps them instead of waiting for them.
  const [{ GateState }, { Relay }, { AuditSink }] = await Promise.all([
    import('../../proxy/gate-state.js'),
    import('../../proxy/relay.js'),
    import('../../proxy/audit-sink.js'),
  ]);
  try {
    // Imported here, after the early start, because lock validation (ajv) is the slowest import we have.
    const { loadGateLock } = await import('../../proxy/lock-view.js');
    const loaded = await loadGateLock(lockPath, values.name);
    serverName = loaded.serverName;
    lockedTools = loaded.view.entities.tool;
    gate = { kind: learn ? 'learn' : 'enforce', state: new GateState(loaded.serverName, loaded.view, loaded.classify, learn ? 'learn' : 'enforce', onEvent) };
    if (learn) log(`mcp-guard proxy: learning mode: drift against ${lockPath} is reported, nothing is blocked`);
  } catch (error) {
    const message = error instanceof GuardError ? error.message : (error as Error).message;
    // The client shows this text to a person: it must always say what to run.
    const hint =
      error instanceof GuardError && error.hint
        ? ` ${error.hint}`
        : ' Run `mcp-guard lock` to review the server and write a valid mcp.lock (or pass --learn to relay without enforcement).';
    if (learn) {
      log(`mcp-guard proxy: learning mode: ${message}; relaying without enforcement`);
      gate = { kind: 'passthrough' };
    } else {
      log(`mcp-guard proxy: ${message}${hint}`);
      gate = { kind: 'refuse', message: `mcp-guard refused this session: ${message}.${hint}` };
    }
  }
  // The policy loads while the server starts (its loader is a heavy import): the relay holds tool calls
  // and the server's answer to initialize until it is in, and refuses the session if it does not load.
  const policyLoad = gate.kind === 'refuse' ? undefined : loadCallPolicy(io.env, policyPath, serverName, log);
  const approvalTimeoutMs = approvalTimeout === undefined ? DEFAULT_APPROVAL_TIMEOUT_MS : Number(approvalTimeout);
  const audit = new AuditSink(
    {
      env: { ...io.env },
      ...(values.audit === undefined ? {} : { file: resolve(io.cwd, values.audit) }),
      includeValues: values['audit-values'] === true,
    },
    (message) => log(`mcp-guard proxy: audit log: ${message}`),
  );
  let store: Promise<ApprovalStore> | undefined;

  const relay = new Relay({
    clientIn,
    clientOut,
    gate,
    log,
    event: onEvent,
    ...(recheck === undefined ? {} : { recheckAfterCallMs: Number(recheck) }),
    // Keep it under the client's own request timeout (~60 s) so the model gets our reason, not a timeout.
    ...(holdTimeout === undefined ? {} : { holdTimeoutMs: Number(holdTimeout) }),
    serverName,
    ...(policyLoad ? { policy: policyLoad } : {}),
    approvals: {
      timeoutMs: approvalTimeoutMs,
      // A few beats per wait, at most every 5 s: enough to keep a client that resets its timeout on progress.
      heartbeatMs: Math.min(DEFAULT_HEARTBEAT_MS, Math.max(100, Math.floor(approvalTimeoutMs / 5))),
      outOfBand: async (input, options) => {
        // The store is imported and created on the first approval only: starting has no side effects.
        store ??= import('../../approvals/store.js').then(({ ApprovalStore: Store }) => new Store({ env: io.env }));
        const { pendingNotice } = await import('../../approvals/messages.js');
        return (await store).request(input, { ...options, onPending: (request) => io.stderr.write(pendingNotice(request)) });
      },
    },
    audit: (entry) => audit.record(entry),
    auditBacklog: audit,
    lockDigest: (tool) => lockedTools?.get(tool)?.digests.full,
  });
  // No usable lock: the server does not run (nothing unreviewed runs), the client gets errors.
  let upstream: Upstream;
  if (gate.kind === 'refuse') {
    earlyChild?.signal('SIGKILL');
    upstream = new AbsentUpstream(relay.upstreamHandlers);
  } else if (earlyChild && early) {
    early.attach(relay.upstreamHandlers);
    upstream = earlyChild;
  } else if (remote) {
    // The SDK's HTTP client transports are a heavy import; only remote sessions pay for them.
    const { HttpUpstream } = await import('../../proxy/http-upstream.js');
    upstream = new HttpUpstream(remote.url, relay.upstreamHandlers, { headers: remote.headers, log });
  } else {
    upstream = new ChildUpstream(command!, commandArgs, relay.upstreamHandlers, childOptions);
  }
  relay.attach(upstream);

  const forward = (signal: NodeJS.Signals): void => upstream.signal(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  try {
    return await relay.done;
  } finally {
    for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
    await audit.close().catch((error: unknown) => log(`mcp-guard proxy: could not write the audit log: ${(error as Error).message}`));
  }
};

/**
 * The user policy and the --policy file as one CallPolicy; undefined when neither exists. Rejects with
 * the text the client reads when the policy does not load (fail closed, like a missing lock).
 */
async function loadCallPolicy(
  env: Record<string, string | undefined>,
  projectFile: string | undefined,
  server: string,
  log: (line: string) => void,
): Promise<CallPolicy | undefined> {
  const home = env['HOME'] || homedir();
  // Without any policy file the loader is never imported.
  const { userPolicyPath } = await import('../../policy/user-policy-path.js');
  if (projectFile === undefined && !(await pathExists(userPolicyPath(env, home)))) return undefined;
  try {
    const [{ loadPolicySet }, { createCallPolicy }] = await Promise.all([import('../../policy/policy-set.js'), import('../../proxy/call-policy.js')]);
    const set = await loadPolicySet({ env, home, ...(projectFile === undefined ? {} : { projectFile }) });
    return set.layers.length > 0 ? createCallPolicy(set, server) : undefined;
  } catch (error) {
    const message = `the policy does not load: ${describeLocation(error)}${(error as Error).message}`;
    log(`mcp-guard proxy: ${message}`);
    throw new Error(`mcp-guard refused this session: ${message}. Fix it (\`mcp-guard policy check FILE\` lists every error) and restart the server.`);
  }
}

function describeLocation(error: unknown): string {
  if (!(error instanceof GuardError) || !error.location) return '';
  const { file, line, column } = error.location;
  return `${file}${line === undefined ? '' : `:${line}`}${line !== undefined && column !== undefined ? `:${column}` : ''}: `;
}

/**
 * The upstream URL from --url, or from the variable --url-env names, or the message for a usage error.
 * A URL from the environment is a secret (that is why wrap put it there): it is registered before
 * anything else happens, and no message here ever includes it.
 */
function readRemoteUrl(
  flag: string | undefined,
  variable: string | undefined,
  env: Record<string, string | undefined>,
  urlCredentialParts: (url: string) => string[],
): URL | string {
  let raw = flag;
  let source = '--url';
  if (variable !== undefined) {
    if (variable === '') return '--url-env takes the name of an environment variable';
    raw = env[variable];
    source = `--url-env: environment variable ${variable}`;
    if (raw === undefined) return `${source} is not set`;
    registerSecrets([raw, raw.trim(), ...urlCredentialParts(raw.trim())]);
    if (raw.trim() === '') return `${source} is empty`;
  }
  let url: URL | undefined;
  try {
    url = new URL((raw ?? '').trim());
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return variable === undefined ? '--url must be an http:// or https:// URL' : `${source} does not hold an http:// or https:// URL`;
  }
  if (variable !== undefined) registerSecrets([url.href, ...urlCredentialParts(url.href)]);
  return url;
}

/** Header values are credentials as a rule; `Bearer xyz` also registers `xyz`, which a server may echo. */
function registerHeaderSecrets(values: readonly string[]): void {
  registerSecrets(values);
  for (const value of values) registerSecrets([/^\s*(?:Bearer|Basic|Token)\s+(\S+)\s*$/i.exec(value)?.[1]]);
}

/** A cheap look (no schema validation) at whether the lock has an entry the proxy would select. */
function lockNamesServer(path: string, name: string | undefined): boolean {
  try {
    const servers = (JSON.parse(readFileSync(path, 'utf8')) as { servers?: unknown }).servers;
    if (servers === null || typeof servers !== 'object') return false;
    return name === undefined ? Object.keys(servers).length === 1 : Object.hasOwn(servers, name);
  } catch {
    return false;
  }
}

/** Holds what an early-started server says until the relay exists, then replays it in order. */
class DeferredHandlers implements UpstreamHandlers {
  private target: UpstreamHandlers | undefined;
  private readonly queued: ((target: UpstreamHandlers) => void)[] = [];

  attach(target: UpstreamHandlers): void {
    this.target = target;
    for (const replay of this.queued.splice(0)) replay(target);
  }

  onReadStart(): void {
    this.target?.onReadStart?.();
  }

  onReadEnd(): void {
    this.target?.onReadEnd?.();
  }

  onMessage(line: Buffer, framed?: Buffer): void {
    if (this.target) this.target.onMessage(line, framed);
    else this.queued.push((target) => target.onMessage(line, framed));
  }

  onOversize(bytes: number): void {
    if (this.target) this.target.onOversize(bytes);
    else this.queued.push((target) => target.onOversize(bytes));
  }

  onExit(exit: UpstreamExit): void {
    if (this.target) this.target.onExit(exit);
    else this.queued.push((target) => target.onExit(exit));
  }
}

/** Stands in for the server when the session is refused: it "exits" when the client goes away. */
class AbsentUpstream implements Upstream {
  private ended = false;
  constructor(private readonly handlers: UpstreamHandlers) {}
  send(): boolean {
    return true;
  }
  onceDrain(): void {}
  pause(): void {}
  resume(): void {}
  shutdown(): void {
    this.end();
  }
  signal(signal: NodeJS.Signals): void {
    void signal;
    this.end();
  }
  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.handlers.onExit({ exitCode: EXIT.usage, code: EXIT.usage, signal: null });
  }
}
