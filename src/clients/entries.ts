// The shared reader for one server entry. Most clients use the same shape (stdio `{command, args,
// env, cwd}`, remote `{url, headers}` or `{type, url}`); the differences — where the URL lives,
// what `url` without a `type` means, what the env map is called — are passed in as an EntrySpec.

import { looksLikeSecretArgument, registerSecrets } from '../findings/redact.js';
import type { JsonValue, Transport } from '../model.js';
import { isWholeCommandLine, splitCommandLine } from './command-line.js';
import { formatPointer, invalidAt, isObject, parseJsoncDocument, type ConfigDocument, type JsonPath } from './document.js';
import type { ParsedServer } from './types.js';

export interface EntrySpec {
  /** Keys that may hold the server URL, first match wins, with the transport each implies without `type`. */
  urlKeys: ReadonlyArray<{ key: string; transport: Transport }>;
  envKey?: string;
  headersKey?: string;
  /** OpenCode: `command` is an array holding the program and its arguments. */
  commandIsArray?: boolean;
  /** Keys that may name the transport; Cline's older files say `transportType`. */
  typeKeys?: readonly string[];
  /** Where a field of the entry lives, for error positions (Zed nests command/args/env). */
  fieldPath?: (entryPath: JsonPath, key: string) => JsonPath;
}

export const STANDARD_SPEC: EntrySpec = { urlKeys: [{ key: 'url', transport: 'http' }] };

// `type` values seen across clients. `remote` is OpenCode (streamable HTTP first, SSE fallback);
// `streamableHttp` is Cline; `local` is OpenCode and Copilot CLI.
const TYPE_TRANSPORT: Record<string, Transport> = {
  stdio: 'stdio',
  local: 'stdio',
  sse: 'sse',
  http: 'http',
  'streamable-http': 'http',
  streamable_http: 'http',
  streamableHttp: 'http',
  streamablehttp: 'http',
  remote: 'http',
};

/** Read the object of servers at `path` (e.g. `mcpServers`). Absent → []; not an object → config-invalid. */
export function readServerMap(doc: ConfigDocument, path: JsonPath, spec: EntrySpec = STANDARD_SPEC): ParsedServer[] {
  const map = valueAt(doc.root, path);
  if (map === undefined || map === null) return [];
  if (!isObject(map)) {
    throw invalidAt(doc, path, `"${formatPointer(path)}" must be an object of servers, not ${describe(map)}`);
  }
  return Object.keys(map).map((name) => readServerEntry(doc, [...path, name], name, map[name]!, spec));
}

export function readServerEntry(
  doc: ConfigDocument,
  path: JsonPath,
  name: string,
  entry: JsonValue,
  spec: EntrySpec = STANDARD_SPEC,
): ParsedServer {
  const at = (key: string): JsonPath => (spec.fieldPath ? spec.fieldPath(path, key) : [...path, key]);
  if (!isObject(entry)) {
    throw invalidAt(doc, path, `server "${name}" must be an object, not ${describe(entry)}`);
  }

  const typeKey = (spec.typeKeys ?? ['type']).find((key) => entry[key] !== undefined && entry[key] !== null) ?? 'type';
  const typeValue = entry[typeKey];
  let declared: Transport | undefined;
  if (typeValue !== undefined && typeValue !== null) {
    if (typeof typeValue !== 'string' || !Object.hasOwn(TYPE_TRANSPORT, typeValue)) {
      throw invalidAt(
        doc,
        at(typeKey),
        `server "${name}" has unsupported type ${JSON.stringify(typeValue)} (expected one of ${Object.keys(TYPE_TRANSPORT).join(', ')})`,
      );
    }
    declared = TYPE_TRANSPORT[typeValue];
  }

  let command: string | undefined;
  let args: string[] | undefined;
  const rawCommand = entry['command'];
  if (rawCommand !== undefined && rawCommand !== null) {
    if (spec.commandIsArray && Array.isArray(rawCommand)) {
      const words = stringList(doc, at('command'), rawCommand, name, 'command');
      if (words.length === 0) throw invalidAt(doc, at('command'), `server "${name}" has an empty command`);
      command = words[0];
      args = words.slice(1);
    } else if (typeof rawCommand === 'string') {
      command = rawCommand;
    } else {
      throw invalidAt(doc, at('command'), `server "${name}": "command" must be a ${spec.commandIsArray ? 'list of strings' : 'string'}, not ${describe(rawCommand)}`);
    }
  }
  const rawArgs = entry['args'];
  if (rawArgs !== undefined && rawArgs !== null) {
    if (!Array.isArray(rawArgs)) throw invalidAt(doc, at('args'), `server "${name}": "args" must be a list, not ${describe(rawArgs)}`);
    args = [...(args ?? []), ...stringList(doc, at('args'), rawArgs, name, 'args')];
  }

  let url: string | undefined;
  let urlTransport: Transport | undefined;
  for (const { key, transport } of spec.urlKeys) {
    const raw = entry[key];
    if (raw === undefined || raw === null) continue;
    if (typeof raw !== 'string') throw invalidAt(doc, at(key), `server "${name}": "${key}" must be a string, not ${describe(raw)}`);
    url = raw;
    urlTransport = transport;
    break;
  }

  const hasCommand = command !== undefined && command.trim() !== '';
  let transport: Transport;
  if (declared === 'stdio' || (declared === undefined && hasCommand)) {
    if (!hasCommand) throw invalidAt(doc, path, `server "${name}" is a stdio server without a "command"`);
    transport = 'stdio';
  } else if (url !== undefined) {
    transport = declared ?? urlTransport ?? 'http';
  } else if (declared !== undefined) {
    throw invalidAt(doc, path, `server "${name}" has type "${String(typeValue)}" but no URL`);
  } else {
    throw invalidAt(doc, path, `server "${name}" has neither a command nor a URL`);
  }

  const server: ParsedServer = { name, pointer: formatPointer(path), transport };
  if (transport === 'stdio') {
    if (isWholeCommandLine(command!, args)) {
      try {
        const words = splitCommandLine(command!.trim());
        command = words[0];
        args = words.slice(1);
      } catch (error) {
        throw invalidAt(doc, at('command'), `server "${name}": cannot split "command": ${(error as Error).message}`);
      }
    }
    server.command = command!;
    if (args !== undefined) server.args = args;
    const envKey = spec.envKey ?? 'env';
    const env = stringMap(doc, at(envKey), entry[envKey], name, envKey);
    if (env) server.env = env;
    const cwd = entry['cwd'];
    if (cwd !== undefined && cwd !== null) {
      if (typeof cwd !== 'string') throw invalidAt(doc, at('cwd'), `server "${name}": "cwd" must be a string, not ${describe(cwd)}`);
      server.cwd = cwd;
    }
  } else {
    server.url = url!;
    const headersKey = spec.headersKey ?? 'headers';
    const headers = stringMap(doc, at(headersKey), entry[headersKey], name, headersKey);
    if (headers) server.headers = headers;
  }
  if (entry['disabled'] === true || entry['enabled'] === false) server.disabled = true;
  registerServerSecrets(server);
  return server;
}

/**
 * Everything in an entry that may be a credential is registered with the redactor the moment it is
 * read, so no later message, report or lock can print it: every env and header value except the
 * evidently public ones (see isEvidentlyPublic), credential-looking args and the value after a
 * credential-named flag, and URL passwords / credential query parameters.
 */
export function registerServerSecrets(server: Pick<ParsedServer, 'env' | 'headers' | 'args' | 'url'>): void {
  const values = [...Object.entries(server.env ?? {}), ...Object.entries(server.headers ?? {})]
    .filter(([name, value]) => CREDENTIAL_NAME.test(name) || !isEvidentlyPublic(value))
    .flatMap(([, value]) => literalParts(value));
  registerSecrets(values);
  for (const value of values) {
    // `Bearer abc…`: the token alone may show up elsewhere (e.g. echoed by a server).
    const token = /^\s*(?:Bearer|Basic|Token)\s+(\S+)\s*$/i.exec(value)?.[1];
    if (token) registerSecrets([token]);
  }
  const args = server.args ?? [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (looksLikeSecretArgument(arg)) {
      registerSecrets(literalParts(arg));
      const eq = arg.indexOf('=');
      if (eq !== -1) registerSecrets(literalParts(arg.slice(eq + 1)));
    }
    if (CREDENTIAL_FLAG.test(arg) && i + 1 < args.length && !args[i + 1]!.startsWith('-')) registerSecrets(literalParts(args[i + 1]!));
  }
  for (const value of [server.url, ...Object.values(server.env ?? {}), ...Object.values(server.headers ?? {})]) {
    if (value?.includes('://')) registerSecrets(urlSecrets(value));
  }
}

/** The password and credential-named query parameters of a URL (`postgres://u:pw@h`, `?api_key=`). */
function urlSecrets(text: string): string[] {
  try {
    const url = new URL(text.trim());
    const out = url.password ? [decodeURIComponent(url.password)] : [];
    for (const [key, value] of url.searchParams) if (CREDENTIAL_NAME.test(key)) out.push(...literalParts(value));
    return out;
  } catch {
    return []; // not a URL we can parse (e.g. still holds a placeholder)
  }
}

/**
 * The literal text of a value around any placeholders it still holds. `${input:token}` is not a
 * secret (and masking it would hide which input is missing); `Bearer ${input:token}` has no secret
 * part either, while `key-${env:X}-suffix123` keeps `-suffix123`. Bare auth-scheme words are not
 * secrets: masking "Bearer" everywhere would garble every report.
 */
function literalParts(value: string): string[] {
  const parts = value.split(/\$\{[^{}]*\}|\{(?:env|file):[^{}]*\}/);
  if (parts.length === 1) return [value];
  return parts.map((part) => part.trim()).filter((part) => part !== '' && !/^(?:Bearer|Basic|Token)$/i.test(part));
}

const CREDENTIAL_NAME = /(?:token|secret|password|passwd|pwd|api[_-]?key|apikey|auth|credential|private[_-]?key|access[_-]?key|cookie|session|pat\b)/i;

// Values that are the same on every machine and never credentials. Registering them would mask
// every "true", "production" or "/usr/bin" in every report and lock (redact() matches anywhere), so
// they are exempt — unless the variable's or header's NAME says credential, which always wins.
const PUBLIC_WORDS = new Set(
  'true false yes no on off null none enabled disabled trace debug info information warn warning error fatal silent verbose quiet development production prod dev test testing staging local stdio http sse json text'.split(' '),
);

export function isEvidentlyPublic(value: string): boolean {
  const text = value.trim();
  if (PUBLIC_WORDS.has(text.toLowerCase()) || /^\d{1,10}$/.test(text)) return true;
  if (/^(?:\/|~\/|[A-Za-z]:[\\/])\S*$/.test(text)) return !CREDENTIAL_NAME.test(text) && !looksLikeSecretArgument(text);
  if (/^https?:\/\/\S+$/i.test(text)) {
    try {
      const url = new URL(text);
      return url.username === '' && url.password === '' && ![...url.searchParams.keys()].some((key) => CREDENTIAL_NAME.test(key));
    } catch {
      return false;
    }
  }
  return false;
}
const CREDENTIAL_FLAG = /^--?[A-Za-z0-9_-]{0,40}(?:token|secret|password|passwd|api[_-]?key|apikey|auth|credential|private[_-]?key|access[_-]?key)$/i;

function stringList(doc: ConfigDocument, path: JsonPath, list: JsonValue[], name: string, key: string): string[] {
  return list.map((item, index) => {
    // Numbers and booleans in args are common (`"--port", 8080`) and clients stringify them.
    if (typeof item === 'string') return item;
    if (typeof item === 'number' || typeof item === 'boolean') return String(item);
    throw invalidAt(doc, [...path, index], `server "${name}": "${key}[${index}]" must be a string, not ${describe(item)}`);
  });
}

function stringMap(
  doc: ConfigDocument,
  path: JsonPath,
  value: JsonValue | undefined,
  name: string,
  key: string,
): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw invalidAt(doc, path, `server "${name}": "${key}" must be an object, not ${describe(value)}`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else throw invalidAt(doc, [...path, k], `server "${name}": "${key}.${k}" must be a string, not ${describe(v)}`);
  }
  return out;
}

export function valueAt(root: JsonValue, path: JsonPath): JsonValue | undefined {
  let current: JsonValue | undefined = root;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[key];
    } else {
      if (!isObject(current)) return undefined;
      current = Object.prototype.hasOwnProperty.call(current, key) ? current[key] : undefined;
    }
  }
  return current;
}

export function describe(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}


/** The common file shape: an object of servers under `mcpServers`. */
export function parseMcpServersFile(text: string, path: string, spec: EntrySpec = STANDARD_SPEC): ParsedServer[] {
  const doc = parseJsoncDocument(text, path);
  if (!isObject(doc.root)) throw invalidAt(doc, [], `expected a JSON object at the top level, not ${describe(doc.root)}`);
  return readServerMap(doc, ['mcpServers'], spec);
}
