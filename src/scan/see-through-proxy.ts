import { recogniseProxyLaunch, recogniseRemoteProxyLaunch } from '../wrap/launch.js';
import type { ServerEntry } from '../model.js';

/**
 * A config entry that launches `mcp-guard proxy … -- CMD ARGS` (what `wrap` writes) is scanned and locked as
 * the server behind the proxy. Listing through the proxy would show only what the lock already allows —
 * drifted tools are hidden there — so a scan of a wrapped config would never report drift; and the
 * package checks must see the real launch (`npx -y pkg`), not `node mcp-guard.js`. A wrapped remote
 * server (`--url URL` or `--url-env VAR`) is seen as the HTTP server at that URL, with its headers.
 */
export function seeThroughProxy(entry: ServerEntry): ServerEntry {
  if (entry.transport !== 'stdio' || entry.command === undefined) return entry;
  const launch = { command: entry.command, args: entry.args ?? [] };
  const local = recogniseProxyLaunch(launch);
  if (local) {
    return { ...entry, command: local.original.command, args: local.original.args, viaProxy: true };
  }
  const remote = recogniseRemoteProxyLaunch(launch);
  if (!remote) return entry;
  const env = { ...entry.env };
  // `--url-env VAR`: wrap moved a credential-bearing URL into the entry's env. Without that variable
  // (or with it empty) the proxy itself refuses to start and there is no URL to connect to: the
  // entry stays the stdio launch it is, so the scan reports what it can (the launch fails and says
  // so) rather than guessing at a server.
  const url = remote.urlEnv === undefined ? remote.url : env[remote.urlEnv];
  if (url === undefined || url === '') return entry;
  if (remote.urlEnv !== undefined) delete env[remote.urlEnv];
  const headers: Record<string, string> = {};
  for (const { header, variable } of remote.headerEnv) {
    const value = env[variable];
    if (value !== undefined) headers[header] = value;
    // The variable only carried the header to the proxy; the remote server never saw it as env.
    delete env[variable];
  }
  const { command: _command, args: _args, cwd: _cwd, env: _env, ...rest } = entry;
  return {
    ...rest,
    transport: 'http',
    url,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(Object.keys(env).length > 0 ? { env } : {}),
    viaProxy: true,
  };
}
