// Find and read every client's MCP config (discoverServers) or exactly the files the user named
// (readConfigFiles, `--config FILE…`). Every location checked is reported — found and read, not
// found, or found without servers — so "nothing found" can never pass for "clean".

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { GuardError } from '../errors.js';
import { registerSecrets } from '../findings/redact.js';
import type { ClientId, ConfigFileReport, ConfigScope, DiscoveryResult } from '../model.js';
import { detectClient } from './detect.js';
import { mergeServers, type FoundServer } from './dedupe.js';
import { isEvidentlyPublic, registerServerSecrets } from './entries.js';
import { resolvePlaceholders, type PlaceholderContext } from './placeholders.js';
import { CLIENTS, clientById } from './registry.js';
import type { ClientDefinition, ConfigLocation, DiscoveryEnv, ParsedServer } from './types.js';

export type { DiscoveryEnv } from './types.js';

export function discoveryEnvFromProcess(): DiscoveryEnv {
  return {
    platform: process.platform,
    // os.homedir() reads HOME on POSIX and USERPROFILE on Windows, as the clients themselves do.
    home: homedir(),
    cwd: process.cwd(),
    env: { ...process.env },
  };
}

export async function discoverServers(env: DiscoveryEnv): Promise<DiscoveryResult> {
  const planned: Array<{ client: ClientDefinition; location: ConfigLocation }> = [];
  const seen = new Set<string>();
  for (const client of CLIENTS) {
    for (const location of await client.locations(env)) {
      // When cwd is home, a project file is the user file: read it once, as user scope.
      const key = `${client.id}\0${resolve(location.path)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      planned.push({ client, location });
    }
  }
  // Read concurrently, but report the first failure in location order so errors are reproducible.
  const settled = await Promise.allSettled(planned.map(({ location }) => readIfPresent(location.path)));
  const texts = settled.map((outcome) => {
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  });

  const files: ConfigFileReport[] = [];
  const found: FoundServer[] = [];
  planned.forEach(({ client, location }, index) => {
    const text = texts[index];
    if (text === undefined) {
      files.push({ client: client.id, path: location.path, scope: location.scope, status: 'not-found', serverCount: 0 });
      return;
    }
    const servers = client.parse(text, location.path);
    files.push(report(client.id, location.path, location.scope, servers.length));
    found.push(...servers.map((server) => resolveServer(server, client, location.path, location.scope, env, location)));
  });
  return { files, servers: mergeServers(found) };
}

export async function readConfigFiles(paths: string[], env: DiscoveryEnv): Promise<DiscoveryResult> {
  const files: ConfigFileReport[] = [];
  const found: FoundServer[] = [];
  const seen = new Set<string>();
  for (const given of paths) {
    const path = resolve(env.cwd, given);
    if (seen.has(path)) continue;
    seen.add(path);
    const text = await readIfPresent(path);
    if (text === undefined) {
      throw new GuardError('config-unreadable', 'config file not found', {
        location: { file: path },
        hint: `check the path given with --config (${given})`,
      });
    }
    const client = clientById(detectClient(text, path));
    const servers = client.parse(text, path);
    files.push(report(client.id, path, 'explicit', servers.length));
    found.push(...servers.map((server) => resolveServer(server, client, path, 'explicit', env, { workspaceFolder: env.cwd })));
  }
  return { files, servers: mergeServers(found) };
}

function report(client: ClientId, path: string, scope: ConfigScope, count: number): ConfigFileReport {
  return { client, path, scope, status: count > 0 ? 'read' : 'no-servers', serverCount: count };
}

/** The file's text, or undefined when there is no such file. Any other failure is an error. */
async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new GuardError('config-unreadable', `cannot read config file (${code ?? 'error'})`, {
      location: { file: path },
      cause: error,
    });
  }
}

/**
 * Expand what the client would expand before launching. Without a workspace of its own, a file is
 * read as if the client had been opened in `env.cwd` (that is the project being scanned).
 */
function resolveServer(
  server: ParsedServer,
  client: ClientDefinition,
  path: string,
  scope: ConfigScope,
  env: DiscoveryEnv,
  location: Pick<ConfigLocation, 'workspaceFolder' | 'variables' | 'disabled'>,
): FoundServer {
  const ctx: PlaceholderContext = {
    syntaxes: client.placeholders,
    env: env.env,
    userHome: env.home,
    pathSeparator: env.platform === 'win32' ? '\\' : '/',
    workspaceFolder: server.workspaceFolder ?? location.workspaceFolder ?? env.cwd,
    ...(location.variables ? { variables: location.variables } : {}),
  };
  const unresolved: string[] = [];
  const one = (value: string): string => {
    const result = resolvePlaceholders(value, ctx);
    unresolved.push(...result.unresolved);
    // Values from the environment are secrets unless evidently public (paths, modes, numbers): masking
    // "/home/alice" or "production" everywhere would garble every report.
    registerSecrets(result.substituted.filter((value) => !isEvidentlyPublic(value)));
    return result.value;
  };
  const map = (record: Record<string, string> | undefined): Record<string, string> | undefined =>
    record && Object.fromEntries(Object.entries(record).map(([key, value]) => [key, one(value)]));

  const resolved: ParsedServer = { ...server };
  if (server.command !== undefined) resolved.command = one(server.command);
  if (server.args !== undefined) resolved.args = server.args.map(one);
  if (server.cwd !== undefined) resolved.cwd = one(server.cwd);
  if (server.url !== undefined) resolved.url = one(server.url);
  const envValues = map(server.env);
  if (envValues) resolved.env = envValues;
  const headers = map(server.headers);
  if (headers) resolved.headers = headers;
  delete resolved.workspaceFolder;
  if (location.disabled) resolved.disabled = true;
  registerServerSecrets(resolved);
  return { server: resolved, source: { client: client.id, path, scope, pointer: server.pointer }, unresolved };
}
