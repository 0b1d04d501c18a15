// Plans for wrap and unwrap on one config file's text: pure text in, text out, with every entry's
// outcome stated. Only the `command`/`args` of chosen stdio entries change; a remote entry becomes a
// stdio entry launching the proxy with --url or --url-env (remote-entry.ts). Everything else in the file (env,
// cwd, unknown keys, VS Code inputs and placeholders, comments, formatting) is left as it was, and
// each plan checks that before it is returned.

import { clientById } from '../clients/registry.js';
import { parseTomlDocument } from '../clients/document.js';
import type { ParsedServer } from '../clients/types.js';
import { GuardError } from '../errors.js';
import { jsonEqual } from '../lock/json-equal.js';
import type { ClientId, JsonObject, JsonValue } from '../model.js';
import { applyEdits, modify } from 'jsonc-parser';
import { detectFormatting, launchShapeOf, locateJsonEntry, readJsonLaunch, replaceRange, setJsonLaunch } from './json-entry.js';
import { proxyLaunch, recogniseProxyLaunch, recogniseRemoteProxyLaunch, type Launch, type ProxySettings, type RecognisedRemoteProxyLaunch } from './launch.js';
import { parsePointer } from './pointer.js';
import {
  codexRemoteTable,
  codexStdioTable,
  envKeyOf,
  envMapOf,
  moveTarget,
  planRemoteMove,
  remoteEntryFromWrapped,
  remoteProxyLaunch,
  remoteWrapBlocker,
  stdioEntryFromRemote,
  wrappedRemoteUrl,
} from './remote-entry.js';
import type { WrapSidecar } from './sidecar.js';
import { locateTomlTable, setTomlLaunch } from './toml-entry.js';

export type EntryStatus =
  | 'wrapped'
  | 'updated'
  | 'already-wrapped'
  | 'skipped'
  | 'unwrapped'
  | 'restored-from-args'
  | 'not-wrapped';

export interface EntryOutcome {
  name: string;
  pointer: string;
  status: EntryStatus;
  detail?: string;
}

export interface ConfigPlan {
  file: string;
  client: ClientId;
  before: string;
  after: string;
  outcomes: EntryOutcome[];
  sidecar: WrapSidecar;
}

export interface WrapPlanOptions {
  settings: ProxySettings;
  /** Server names the lock has; the proxy refuses any other, so wrapping one would break it. */
  lockedServers: ReadonlySet<string>;
  /** Only these servers (all when absent). */
  only?: readonly string[];
}

/** One entry, located in the current text, in whichever syntax the file uses. */
interface LocatedEntry {
  value: JsonValue;
  offset: number;
  length: number;
  launch: Launch;
  setLaunch(text: string, launch: Launch): string | undefined;
}

function locate(text: string, file: string, client: ClientId, server: ParsedServer): LocatedEntry | string {
  if (client === 'codex') {
    const table = locateTomlTable(text, server.name);
    if (!table) return 'not written as a [mcp_servers.NAME] table';
    const value = tomlEntryValue(text, file, server.name);
    if (!isObject(value) || typeof value['command'] !== 'string') return 'no command to wrap';
    const args = value['args'];
    if (args !== undefined && !(Array.isArray(args) && args.every((arg) => typeof arg === 'string'))) return 'args is not a list of strings';
    return {
      value,
      offset: table.start,
      length: table.end - table.start,
      launch: { command: value['command'], args: (args as string[] | undefined) ?? [] },
      setLaunch: (current, launch) => {
        const now = locateTomlTable(current, server.name);
        return now ? setTomlLaunch(current, now, launch) : undefined;
      },
    };
  }
  const path = parsePointer(server.pointer);
  const entry = locateJsonEntry(text, path);
  if (!entry) return 'entry not found';
  const shape = launchShapeOf(entry.value);
  if (!shape) return 'the launch is not in a form wrap can edit';
  return { ...entry, launch: readJsonLaunch(entry.value, shape), setLaunch: (current, launch) => setJsonLaunch(current, path, shape, launch) };
}

function tomlEntryValue(text: string, file: string, name: string): JsonValue | undefined {
  const root = parseTomlDocument(text, file).root;
  const servers = isObject(root) ? root['mcp_servers'] : undefined;
  return isObject(servers) && Object.hasOwn(servers, name) ? servers[name] : undefined;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameLaunch(a: Launch, b: Launch): boolean {
  return a.command === b.command && a.args.length === b.args.length && a.args.every((arg, i) => arg === b.args[i]);
}

function selected(servers: ParsedServer[], only: readonly string[] | undefined): ParsedServer[] {
  if (!only) return servers;
  return servers.filter((server) => only.includes(server.name));
}

export function planWrap(text: string, file: string, client: ClientId, sidecar: WrapSidecar, options: WrapPlanOptions): ConfigPlan {
  const definition = clientById(client);
  const servers = definition.parse(text, file);
  const entries = { ...sidecar.entries };
  const outcomes: EntryOutcome[] = [];
  /** Remote entries turned into stdio ones, with the env each must now have. */
  const remoteWrapped = new Map<string, Record<string, string>>();
  let current = text;
  for (const server of selected(servers, options.only)) {
    const outcome = (status: EntryStatus, detail?: string): void => {
      outcomes.push(detail === undefined ? { name: server.name, pointer: server.pointer, status } : { name: server.name, pointer: server.pointer, status, detail });
    };
    if (!options.lockedServers.has(server.name)) {
      outcome('skipped', 'not in the lock (run `mcp-guard lock` first; the proxy refuses servers it has no lock for)');
      continue;
    }
    if (server.transport !== 'stdio') {
      const result = wrapRemote(current, file, client, server, options.settings);
      if (typeof result === 'string') {
        outcome('skipped', result);
        continue;
      }
      entries[server.pointer] = { originalText: result.originalText, wrapped: result.wrapped };
      remoteWrapped.set(server.pointer, result.env);
      current = result.next;
      outcome('wrapped');
      continue;
    }
    const entry = locate(current, file, client, server);
    if (typeof entry === 'string') {
      outcome('skipped', entry);
      continue;
    }
    const remote = recogniseRemoteProxyLaunch(entry.launch);
    const stdio = remote ? undefined : recogniseProxyLaunch(entry.launch);
    const recognised = remote !== undefined || stdio !== undefined;
    // A fresh wrap takes the launch as discovery reads it (Cursor's whole command line is split).
    const original = stdio?.original ?? { command: server.command ?? entry.launch.command, args: server.args ?? entry.launch.args };
    const desired = remote
      ? remoteProxyLaunch(options.settings, server.name, remote, remote.headerEnv)
      : proxyLaunch(options.settings, server.name, original);
    if (recognised && sameLaunch(entry.launch, desired)) {
      outcome('already-wrapped');
      continue;
    }
    if (recognised && !entries[server.pointer]) {
      // Not wrap's own edit (written by hand, or its record is gone): its flags are someone's choice.
      outcome('already-wrapped', 'already launched through mcp-guard proxy with other settings; left as is');
      continue;
    }
    const next = entry.setLaunch(current, desired);
    const after = next === undefined ? undefined : locate(next, file, client, server);
    if (next === undefined || after === undefined || typeof after === 'string' || !sameLaunch(after.launch, desired)) {
      outcome('skipped', 'could not rewrite this entry safely');
      continue;
    }
    assertOnlyEntryChanged(current, next, entry, after, file);
    const previous = entries[server.pointer];
    entries[server.pointer] =
      recognised && previous
        ? { ...previous, wrapped: after.value }
        : { originalText: current.slice(entry.offset, entry.offset + entry.length), wrapped: after.value };
    current = next;
    outcome(recognised ? 'updated' : 'wrapped');
  }
  assertOtherServersUnchanged(definition.parse(current, file), servers, outcomes, remoteWrapped, file);
  return { file, client, before: text, after: current, outcomes, sidecar: { ...sidecar, entries } };
}

interface RemoteWrap {
  next: string;
  originalText: string;
  wrapped: JsonValue;
  env: Record<string, string>;
}

/** One remote entry rewritten as a stdio entry that launches the proxy, or why it was not. */
function wrapRemote(text: string, file: string, client: ClientId, server: ParsedServer, settings: ProxySettings): RemoteWrap | string {
  const envKey = envKeyOf(client);
  let region: { offset: number; length: number; value: JsonValue };
  if (client === 'codex') {
    const table = locateTomlTable(text, server.name);
    const value = tomlEntryValue(text, file, server.name);
    if (!table || value === undefined) return 'not written as a [mcp_servers.NAME] table';
    region = { offset: table.start, length: table.end - table.start, value };
  } else {
    const entry = locateJsonEntry(text, parsePointer(server.pointer));
    if (!entry) return 'entry not found';
    region = entry;
  }
  const blocker = remoteWrapBlocker(client, region.value);
  if (blocker) return blocker;
  const existingEnv = envMapOf(region.value, envKey);
  const move = planRemoteMove(server, existingEnv);
  if (typeof move === 'string') return move;
  const launch = remoteProxyLaunch(settings, server.name, moveTarget(move), move.headers);
  let next: string;
  if (client === 'codex') {
    const table = codexStdioTable(text, server.name, launch, move.env);
    if (table === undefined) return 'could not rewrite this entry safely';
    next = replaceTomlTable(text, region.offset, region.length, table);
  } else {
    const path = parsePointer(server.pointer);
    const value = stdioEntryFromRemote(client, region.value as JsonObject, launch, move.env);
    next = applyEdits(text, modify(text, path, value, { formattingOptions: detectFormatting(text) }));
  }
  const after = locate(next, file, client, server);
  if (typeof after === 'string' || !sameLaunch(after.launch, launch)) return 'could not rewrite this entry safely';
  assertOnlyEntryChanged(text, next, { ...region, launch, setLaunch: () => undefined }, after, file);
  return {
    next,
    originalText: text.slice(region.offset, region.offset + region.length),
    wrapped: after.value,
    env: { ...existingEnv, ...move.env },
  };
}

export interface UnwrapPlanOptions {
  only?: readonly string[];
}

export function planUnwrap(text: string, file: string, client: ClientId, sidecar: WrapSidecar, options: UnwrapPlanOptions = {}): ConfigPlan {
  const definition = clientById(client);
  const servers = definition.parse(text, file);
  const entries = { ...sidecar.entries };
  const outcomes: EntryOutcome[] = [];
  let current = text;
  for (const server of selected(servers, options.only)) {
    const entry = locate(current, file, client, server);
    const remote = typeof entry === 'string' ? undefined : recogniseRemoteProxyLaunch(entry.launch);
    if (typeof entry !== 'string' && remote) {
      const record = entries[server.pointer];
      delete entries[server.pointer];
      if (record && jsonEqual(entry.value, record.wrapped)) {
        current = replaceRange(current, entry.offset, entry.length, record.originalText);
        outcomes.push({ name: server.name, pointer: server.pointer, status: 'unwrapped' });
      } else if (!record && remote.form === 'by-hand') {
        outcomes.push({ name: server.name, pointer: server.pointer, status: 'not-wrapped', detail: 'launched through mcp-guard proxy by hand, not by wrap; left as is' });
      } else {
        const rebuilt = rebuildRemote(current, file, client, server, remote);
        if (typeof rebuilt === 'string') {
          if (record) entries[server.pointer] = record;
          outcomes.push({ name: server.name, pointer: server.pointer, status: 'skipped', detail: `a wrapped remote server that cannot be rebuilt: ${rebuilt}` });
        } else {
          current = rebuilt.next;
          outcomes.push({
            name: server.name,
            pointer: server.pointer,
            status: 'restored-from-args',
            detail: `${record ? 'the entry changed after wrap' : 'no record of the original entry'}: rebuilt as a streamable HTTP entry from ${remote.urlEnv === undefined ? '--url' : 'the URL'} and the header values in its env${record ? ', later edits kept' : ''}`,
          });
        }
      }
      continue;
    }
    const recognised = typeof entry === 'string' ? undefined : recogniseProxyLaunch(entry.launch);
    if (typeof entry === 'string' || !recognised) {
      if (options.only) outcomes.push({ name: server.name, pointer: server.pointer, status: 'not-wrapped' });
      delete entries[server.pointer];
      continue;
    }
    const record = entries[server.pointer];
    delete entries[server.pointer];
    if (!record && recognised.form === 'by-hand') {
      outcomes.push({ name: server.name, pointer: server.pointer, status: 'not-wrapped', detail: 'launched through mcp-guard proxy by hand, not by wrap; left as is' });
      continue;
    }
    if (record && jsonEqual(entry.value, record.wrapped)) {
      current = replaceRange(current, entry.offset, entry.length, record.originalText);
      outcomes.push({ name: server.name, pointer: server.pointer, status: 'unwrapped' });
      continue;
    }
    const next = entry.setLaunch(current, recognised.original);
    if (next === undefined) {
      // Keep the record: without it the original entry could never be restored.
      if (record) entries[server.pointer] = record;
      outcomes.push({ name: server.name, pointer: server.pointer, status: 'skipped', detail: 'could not rewrite this entry safely' });
      continue;
    }
    current = next;
    outcomes.push({
      name: server.name,
      pointer: server.pointer,
      status: 'restored-from-args',
      detail: record
        ? 'the entry changed after wrap: only its launch was restored (from the command after --), later edits kept'
        : 'no record of the original entry: its launch was restored from the command after --',
    });
  }
  // Records of entries that no longer exist in the file are of no further use.
  const present = new Set(servers.map((server) => server.pointer));
  for (const pointer of Object.keys(entries)) if (!present.has(pointer)) delete entries[pointer];
  definition.parse(current, file);
  return { file, client, before: text, after: current, outcomes, sidecar: { ...sidecar, entries } };
}

/** A wrapped remote entry back in the client's remote form (remoteEntryFromWrapped), or why not. */
function rebuildRemote(text: string, file: string, client: ClientId, server: ParsedServer, remote: RecognisedRemoteProxyLaunch): string | { next: string } {
  let next: string;
  let url: string | undefined;
  if (client === 'codex') {
    const table = locateTomlTable(text, server.name);
    const value = tomlEntryValue(text, file, server.name);
    url = wrappedRemoteUrl(isObject(value) && isObject(value['env']) ? value['env'] : undefined, remote);
    const rebuilt = table && codexRemoteTable(text, server.name, remote, remote.headerEnv);
    if (!table || !rebuilt) return `its env does not hold ${remote.urlEnv === undefined ? '' : `the URL (${remote.urlEnv}) and `}every header named by --header-env`;
    next = replaceTomlTable(text, table.start, table.end - table.start, rebuilt);
  } else {
    const path = parsePointer(server.pointer);
    const entry = locateJsonEntry(text, path);
    if (!entry || !isObject(entry.value)) return 'entry not found';
    const env = entry.value[envKeyOf(client)];
    url = wrappedRemoteUrl(isObject(env) ? env : undefined, remote);
    const value = remoteEntryFromWrapped(client, entry.value, remote, remote.headerEnv);
    if (typeof value === 'string') return value;
    next = applyEdits(text, modify(text, path, value, { formattingOptions: detectFormatting(text) }));
  }
  const now = clientById(client).parse(next, file).find((candidate) => candidate.pointer === server.pointer);
  if (!now || now.transport === 'stdio' || url === undefined || now.url !== url) return 'could not rewrite this entry safely';
  return { next };
}

/** Replaces a TOML table's text, keeping the blank lines that separate it from the next one. */
function replaceTomlTable(text: string, offset: number, length: number, table: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const trailing = /\s*$/.exec(text.slice(offset, offset + length))![0];
  return replaceRange(text, offset, length - trailing.length, table.trimEnd().replace(/\n/g, eol));
}

/** The edit must stay inside the entry: the text before and after it is untouched. */
function assertOnlyEntryChanged(before: string, after: string, entry: LocatedEntry, edited: LocatedEntry, file: string): void {
  const prefixSame = before.slice(0, entry.offset) === after.slice(0, edited.offset) && entry.offset === edited.offset;
  const suffixSame = before.slice(entry.offset + entry.length) === after.slice(edited.offset + edited.length);
  if (!prefixSame || !suffixSame) {
    throw new GuardError('could-not-complete', 'refusing to write: the edit would change text outside the server entry', { location: { file } });
  }
}

function assertOtherServersUnchanged(
  after: ParsedServer[],
  before: ParsedServer[],
  outcomes: EntryOutcome[],
  remoteWrapped: ReadonlyMap<string, Record<string, string>>,
  file: string,
): void {
  const changed = new Set(outcomes.filter((o) => o.status === 'wrapped' || o.status === 'updated').map((o) => o.pointer));
  const key = (server: ParsedServer) => server.pointer;
  const afterByPointer = new Map(after.map((server) => [key(server), server]));
  const same =
    after.length === before.length &&
    before.every((server) => {
      const now = afterByPointer.get(key(server));
      if (!now) return false;
      const remoteEnv = remoteWrapped.get(key(server));
      if (remoteEnv) return now.transport === 'stdio' && jsonEqual(now.env ?? {}, remoteEnv);
      if (changed.has(key(server))) return now.transport === server.transport && jsonEqual(now.env ?? null, server.env ?? null);
      return jsonEqual(now as unknown as JsonValue, server as unknown as JsonValue);
    });
  if (!same) throw new GuardError('could-not-complete', 'refusing to write: the edit would change other servers in the file', { location: { file } });
}
