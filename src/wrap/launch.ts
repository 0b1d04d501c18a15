// The command line a wrapped entry runs: `<node> <mcp-guard.js> proxy --lock L [--policy P] --name N
// -- <original command> <args…>`. Absolute paths throughout: several clients start servers with a
// stripped PATH, and a relative lock path would resolve against whatever cwd the client picks.

import { realpathSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ProxySettings {
  /** Absolute path of the node binary. */
  node: string;
  /** Absolute path of bin/mcp-guard.js. */
  bin: string;
  /** Absolute path of the lock. */
  lock: string;
  /** Absolute path of the project policy, when one is used. */
  policy?: string;
}

export interface Launch {
  command: string;
  args: string[];
}

/** The running node and this package's own bin script, both resolved through symlinks. */
export function installedProxyPaths(): { node: string; bin: string } {
  const bin = fileURLToPath(new URL('../../bin/mcp-guard.js', import.meta.url));
  return { node: realpathSync(process.execPath), bin: realpathSync(bin) };
}

export function proxyLaunch(settings: ProxySettings, name: string, original: Launch): Launch {
  const args = [settings.bin, 'proxy', '--lock', settings.lock];
  if (settings.policy !== undefined) args.push('--policy', settings.policy);
  args.push('--name', name, '--', original.command, ...original.args);
  return { command: settings.node, args };
}

export interface RecognisedProxyLaunch {
  name?: string;
  original: Launch;
  /** `node …/mcp-guard.js proxy` is the form wrap writes; `mcp-guard proxy` is someone's own. */
  form: 'wrap' | 'by-hand';
}

/**
 * Recognises a launch this module wrote (by any mcp-guard install): the first argument is an
 * `mcp-guard.js` (or `mcp-guard`) script followed by `proxy`, and the original command follows `--`.
 */
export function recogniseProxyLaunch(launch: Launch): RecognisedProxyLaunch | undefined {
  const isGuard = (path: string | undefined): boolean => path !== undefined && /^mcp-guard(\.js|\.cmd)?$/.test(basename(path));
  // `node …/mcp-guard.js proxy …` as wrap writes it, or `mcp-guard proxy …` written by hand.
  const start = isGuard(launch.args[0]) && launch.args[1] === 'proxy' ? 2 : isGuard(launch.command) && launch.args[0] === 'proxy' ? 1 : -1;
  if (start === -1) return undefined;
  const separator = launch.args.indexOf('--', start);
  if (separator === -1) return undefined;
  const [command, ...args] = launch.args.slice(separator + 1);
  if (command === undefined) return undefined;
  const own = launch.args.slice(start, separator);
  const nameAt = own.indexOf('--name');
  const name = nameAt === -1 ? undefined : own[nameAt + 1];
  const form = start === 2 ? 'wrap' : 'by-hand';
  return name === undefined ? { original: { command, args }, form } : { name, original: { command, args }, form };
}

/**
 * Where a remote proxy launch gets its URL: `--url URL`, or `--url-env VAR` when the URL carries a
 * credential and must not be in argv (the value is then in the entry's env).
 */
export type RemoteTarget = { url: string; urlEnv?: undefined } | { urlEnv: string; url?: undefined };

export type RecognisedRemoteProxyLaunch = RemoteTarget & {
  name?: string;
  /** `--header-env` pairs as written: `Authorization=MCP_GUARD_HEADER_AUTHORIZATION`. */
  headerEnv: { header: string; variable: string }[];
  form: 'wrap' | 'by-hand';
};

/**
 * Recognises `… mcp-guard.js proxy … --url URL` or `… --url-env VAR` (a wrapped remote server: no
 * `--`, no command). A launch with both is not one the proxy accepts, so it is not recognised.
 */
export function recogniseRemoteProxyLaunch(launch: Launch): RecognisedRemoteProxyLaunch | undefined {
  const isGuard = (path: string | undefined): boolean => path !== undefined && /^mcp-guard(\.js|\.cmd)?$/.test(basename(path));
  const start = isGuard(launch.args[0]) && launch.args[1] === 'proxy' ? 2 : isGuard(launch.command) && launch.args[0] === 'proxy' ? 1 : -1;
  if (start === -1 || launch.args.includes('--', start)) return undefined;
  const own = launch.args.slice(start);
  const valueOf = (flag: string): string | undefined => {
    const at = own.indexOf(flag);
    return at === -1 ? undefined : own[at + 1];
  };
  const url = valueOf('--url');
  const urlEnv = valueOf('--url-env');
  if ((url === undefined) === (urlEnv === undefined) || urlEnv === '') return undefined;
  const target: RemoteTarget = url !== undefined ? { url } : { urlEnv: urlEnv! };
  const headerEnv: { header: string; variable: string }[] = [];
  for (let i = 0; i < own.length; i++) {
    if (own[i] !== '--header-env') continue;
    const pair = own[i + 1] ?? '';
    const eq = pair.indexOf('=');
    if (eq <= 0) return undefined;
    headerEnv.push({ header: pair.slice(0, eq), variable: pair.slice(eq + 1) });
  }
  const name = valueOf('--name');
  const form = start === 2 ? 'wrap' : 'by-hand';
  return name === undefined ? { ...target, headerEnv, form } : { name, ...target, headerEnv, form };
}
