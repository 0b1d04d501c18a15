// Wrapping a remote (HTTP/SSE) entry: the client cannot put a proxy in front of a URL, so the entry
// becomes a stdio entry that launches `mcp-guard proxy --url URL`. Header values are credentials as
// a rule and argv is public (`ps`, shell history, config args copied into bug reports), so every
// header value moves into the entry's env under a fixed variable name and the proxy is told only the
// name (`--header-env Authorization=MCP_GUARD_HEADER_AUTHORIZATION`). A URL that carries a credential
// itself (`?api_key=`, a key in the path) moves the same way, whole: `--url-env MCP_GUARD_URL`.
// Placeholders such as `${input:token}` move verbatim: clients expand them in env as they do in
// headers and URLs.

import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import type { ParsedServer } from '../clients/types.js';
import { registerSecrets } from '../findings/redact.js';
import type { ClientId, JsonObject, JsonValue } from '../model.js';
import type { Launch, ProxySettings, RemoteTarget } from './launch.js';
import { hasPlaceholder, urlCarriesCredential, urlCredentialParts } from './url-credentials.js';

export const HEADER_VARIABLE_PREFIX = 'MCP_GUARD_HEADER_';

/** `X-Api-Key` → `MCP_GUARD_HEADER_X_API_KEY`; the same header always gets the same name. */
export function headerVariable(header: string): string {
  return `${HEADER_VARIABLE_PREFIX}${header.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '')}`;
}

export interface HeaderFromEnv {
  header: string;
  variable: string;
}

/** The variable a credential-bearing URL moves into (`_2`, `_3`, … when the entry already uses it). */
export const URL_VARIABLE = 'MCP_GUARD_URL';

/**
 * What a remote entry turns into: the URL (userinfo already turned into a header), the variable it
 * moved into when it must stay out of argv, header names → variables, and the env values.
 */
export interface RemoteMove {
  url: string;
  urlVariable?: string;
  headers: HeaderFromEnv[];
  env: Record<string, string>;
}

const USERINFO = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#@]*)@/;

/**
 * The move for one remote server, or the reason it cannot be wrapped without a credential in argv.
 * `existingEnv` is the entry's own env map, if it has one: names there are never overwritten.
 */
export function planRemoteMove(server: ParsedServer, existingEnv: Readonly<Record<string, string>> = {}): RemoteMove | string {
  let url = server.url ?? '';
  const headers: [string, string][] = Object.entries(server.headers ?? {});
  const userinfo = USERINFO.exec(url);
  if (userinfo) {
    const credentials = userinfo[2]!;
    if (hasPlaceholder(credentials)) return 'the URL holds credentials built from placeholders; move them into a header first';
    if (headers.some(([name]) => name.toLowerCase() === 'authorization')) return 'the URL holds credentials and there is an Authorization header too';
    const colon = credentials.indexOf(':');
    let user: string;
    let password: string;
    try {
      user = decodeURIComponent(colon === -1 ? credentials : credentials.slice(0, colon));
      password = colon === -1 ? '' : decodeURIComponent(credentials.slice(colon + 1));
    } catch {
      return 'the URL holds credentials that are not valid percent-encoding';
    }
    // fetch refuses URLs with credentials; HTTP Basic is what they mean (RFC 7617).
    const basic = Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
    registerSecrets([password, basic]);
    headers.unshift(['Authorization', `Basic ${basic}`]);
    url = `${userinfo[1]!}${url.slice(userinfo[0].length)}`;
  }
  const env: Record<string, string> = {};
  const taken = (variable: string, value: string): boolean => Object.hasOwn(env, variable) || (Object.hasOwn(existingEnv, variable) && existingEnv[variable] !== value);
  let urlVariable: string | undefined;
  if (urlCarriesCredential(url)) {
    // Registered so wrap's own output (the --dry-run diff) masks it. Placeholders are not secrets, and
    // masking `${input:key}` would hide which input the entry uses.
    registerSecrets(urlCredentialParts(url).filter((part) => !hasPlaceholder(part)));
    urlVariable = URL_VARIABLE;
    for (let n = 2; taken(urlVariable, url); n++) urlVariable = `${URL_VARIABLE}_${n}`;
    env[urlVariable] = url;
  }
  const moved: HeaderFromEnv[] = [];
  for (const [header, value] of headers) {
    let variable = headerVariable(header);
    for (let n = 2; taken(variable, value); n++) variable = `${headerVariable(header)}_${n}`;
    env[variable] = value;
    moved.push({ header, variable });
  }
  return urlVariable === undefined ? { url, headers: moved, env } : { url, urlVariable, headers: moved, env };
}

/** Where the proxy finds the URL of a move: in argv when it is safe there, else the variable's name. */
export function moveTarget(move: RemoteMove): RemoteTarget {
  return move.urlVariable === undefined ? { url: move.url } : { urlEnv: move.urlVariable };
}

export function remoteProxyLaunch(settings: ProxySettings, name: string, target: RemoteTarget, headers: readonly HeaderFromEnv[]): Launch {
  const args = [settings.bin, 'proxy', '--lock', settings.lock];
  if (settings.policy !== undefined) args.push('--policy', settings.policy);
  args.push('--name', name);
  if (target.urlEnv !== undefined) args.push('--url-env', target.urlEnv);
  else args.push('--url', target.url);
  for (const { header, variable } of headers) args.push('--header-env', `${header}=${variable}`);
  return { command: settings.node, args };
}

/** Keys of a remote entry that the stdio entry replaces. */
const URL_KEYS = new Set(['url', 'httpUrl', 'serverUrl']);
const TYPE_KEYS = new Set(['type', 'transportType']);

/** The env map's key in a stdio entry of this client. */
export function envKeyOf(client: ClientId): string {
  return client === 'opencode' ? 'environment' : 'env';
}

/**
 * The value of the `type` key in the stdio entry: OpenCode requires `local`; Gemini CLI and Zed tell
 * stdio from the `command` key and accept no stdio type (undefined: the key is dropped).
 */
function stdioType(client: ClientId): string | undefined {
  if (client === 'opencode') return 'local';
  if (client === 'gemini-cli' || client === 'zed') return undefined;
  return 'stdio';
}

/** Keys that only make sense for a remote entry of this client, and whose presence blocks wrapping. */
function remoteOnlyReason(client: ClientId, entry: JsonObject): string | undefined {
  // The proxy does not do OAuth: an entry relying on the client's OAuth flow cannot be fronted.
  if (client === 'opencode' && entry['oauth'] !== undefined && entry['oauth'] !== false) return 'the server uses the client\'s OAuth flow, which the proxy cannot do';
  if (client === 'codex' && (entry['env_http_headers'] !== undefined || entry['bearer_token_env_var'] !== undefined)) {
    return 'its headers come from Codex\'s own environment, which Codex does not pass to stdio servers';
  }
  if (client === 'gemini-cli' && (entry['authProviderType'] !== undefined || entry['oauth'] !== undefined)) return 'the server uses the client\'s OAuth flow, which the proxy cannot do';
  return undefined;
}

export function remoteWrapBlocker(client: ClientId, entry: JsonValue): string | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'not an object';
  return remoteOnlyReason(client, entry);
}

/**
 * The stdio entry for a JSON client, keys in the original order: the URL key's place takes the
 * command, the headers' place takes the env; unknown keys stay where they were.
 */
export function stdioEntryFromRemote(client: ClientId, entry: JsonObject, launch: Launch, env: Record<string, string>): JsonObject {
  const envKey = envKeyOf(client);
  const out: JsonObject = {};
  const existingEnv = entry[envKey];
  const mergedEnv: JsonObject = { ...(isObject(existingEnv) ? existingEnv : {}), ...env };
  const putLaunch = (): void => {
    if (client === 'opencode') {
      out['command'] = [launch.command, ...launch.args];
    } else {
      out['command'] = launch.command;
      out['args'] = launch.args;
    }
  };
  let launchPut = false;
  let envPut = false;
  const type = stdioType(client);
  for (const [key, value] of Object.entries(entry)) {
    if (URL_KEYS.has(key)) {
      if (!launchPut) putLaunch();
      launchPut = true;
    } else if (key === 'headers') {
      if (!launchPut) putLaunch();
      launchPut = true;
      if (Object.keys(mergedEnv).length > 0) out[envKey] = mergedEnv;
      envPut = true;
    } else if (key === envKey) {
      if (!envPut && Object.keys(mergedEnv).length > 0) out[envKey] = mergedEnv;
      envPut = true;
    } else if (TYPE_KEYS.has(key)) {
      if (type !== undefined) out[key] = type;
    } else if (client === 'opencode' && key === 'oauth') {
      // `oauth: false` only: OpenCode's local entries reject the key.
    } else if (!(key === 'command' || key === 'args')) {
      out[key] = value;
    }
  }
  if (!launchPut) putLaunch();
  if (!envPut && Object.keys(mergedEnv).length > 0) out[envKey] = mergedEnv;
  return out;
}

/**
 * The `[mcp_servers.NAME]` table (with its sub-tables) of a Codex remote entry rewritten as a stdio
 * one. Comments inside the table are not kept: the wrap record holds the table's original text.
 */
export function codexStdioTable(text: string, name: string, launch: Launch, env: Record<string, string>): string | undefined {
  const root = parseToml(text) as Record<string, unknown>;
  const servers = root['mcp_servers'] as Record<string, unknown> | undefined;
  const table = servers?.[name];
  if (typeof table !== 'object' || table === null || Array.isArray(table)) return undefined;
  const original = table as Record<string, unknown>;
  const out: Record<string, unknown> = { command: launch.command, args: launch.args };
  for (const [key, value] of Object.entries(original)) {
    if (key === 'url' || key === 'http_headers' || key === 'bearer_token' || key === 'command' || key === 'args' || key === 'env') continue;
    out[key] = value;
  }
  const existingEnv = original['env'];
  const mergedEnv = { ...(typeof existingEnv === 'object' && existingEnv !== null ? existingEnv : {}), ...env };
  if (Object.keys(mergedEnv).length > 0) out['env'] = mergedEnv;
  return stringifyToml({ mcp_servers: { [name]: out } });
}

/** Where a rebuilt remote entry puts its URL, and what its `type` says. */
function remoteUrlKey(client: ClientId): string {
  if (client === 'gemini-cli') return 'httpUrl';
  if (client === 'windsurf') return 'serverUrl';
  return 'url';
}

function remoteType(client: ClientId): string {
  if (client === 'opencode') return 'remote';
  if (client === 'cline') return 'streamableHttp';
  return 'http';
}

/** The URL, the header values back out of the env wrap moved them into, and the env that is left. */
function splitEnv(
  env: Readonly<Record<string, JsonValue>>,
  target: RemoteTarget,
  headerEnv: readonly HeaderFromEnv[],
): { url: string; headers: JsonObject; rest: JsonObject } | string {
  const headers: JsonObject = {};
  const rest: JsonObject = { ...env };
  const url = wrappedRemoteUrl(env, target);
  if (url === undefined) return `its env has no ${target.urlEnv} for the URL`;
  if (target.urlEnv !== undefined) delete rest[target.urlEnv];
  for (const { header, variable } of headerEnv) {
    const value = env[variable];
    if (typeof value !== 'string') return `its env has no ${variable} for the ${header} header`;
    headers[header] = value;
    delete rest[variable];
  }
  return { url, headers, rest };
}

/** The URL a wrapped remote launch sends the proxy to: from argv, or from the entry's env for --url-env. */
export function wrappedRemoteUrl(env: Readonly<Record<string, JsonValue>> | undefined, target: RemoteTarget): string | undefined {
  if (target.urlEnv === undefined) return target.url;
  const value = env?.[target.urlEnv];
  return typeof value === 'string' ? value : undefined;
}

/**
 * A wrapped remote entry turned back into a remote one from its command line and env, when wrap's
 * record of the original is gone or the entry changed since: later edits to other keys stay. The
 * transport is written as streamable HTTP (the proxy fell back to SSE by itself; the client may not).
 * A URL that wrap moved into env (--url-env) comes back out of it, like the header values.
 */
export function remoteEntryFromWrapped(client: ClientId, entry: JsonObject, target: RemoteTarget, headerEnv: readonly HeaderFromEnv[]): JsonObject | string {
  const envKey = envKeyOf(client);
  const env = entry[envKey];
  const split = splitEnv(isObject(env) ? env : {}, target, headerEnv);
  if (typeof split === 'string') return split;
  const out: JsonObject = {};
  const hasHeaders = Object.keys(split.headers).length > 0;
  let headersPut = false;
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'command') {
      out[remoteUrlKey(client)] = split.url;
    } else if (key === envKey) {
      if (hasHeaders) out['headers'] = split.headers;
      headersPut = true;
      if (Object.keys(split.rest).length > 0) out[envKey] = split.rest;
    } else if (TYPE_KEYS.has(key)) {
      out[key] = remoteType(client);
    } else if (key !== 'args') {
      out[key] = value;
    }
  }
  if (hasHeaders && !headersPut) out['headers'] = split.headers;
  return out;
}

/** The Codex table of a wrapped remote entry rebuilt as `url` + `http_headers` (see remoteEntryFromWrapped). */
export function codexRemoteTable(text: string, name: string, target: RemoteTarget, headerEnv: readonly HeaderFromEnv[]): string | undefined {
  const root = parseToml(text) as Record<string, unknown>;
  const table = (root['mcp_servers'] as Record<string, unknown> | undefined)?.[name];
  if (typeof table !== 'object' || table === null || Array.isArray(table)) return undefined;
  const original = table as Record<string, unknown>;
  const env = original['env'];
  const split = splitEnv(typeof env === 'object' && env !== null ? (env as Record<string, JsonValue>) : {}, target, headerEnv);
  if (typeof split === 'string') return undefined;
  const out: Record<string, unknown> = { url: split.url };
  for (const [key, value] of Object.entries(original)) if (key !== 'command' && key !== 'args' && key !== 'env') out[key] = value;
  if (Object.keys(split.headers).length > 0) out['http_headers'] = split.headers;
  if (Object.keys(split.rest).length > 0) out['env'] = split.rest;
  return stringifyToml({ mcp_servers: { [name]: out } });
}

/** The entry's env map as plain strings (what planRemoteMove must not collide with). */
export function envMapOf(entry: JsonValue, key: string): Record<string, string> {
  if (!isObject(entry)) return {};
  const env = entry[key];
  if (!isObject(env)) return {};
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') out[name] = value;
  return out;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
