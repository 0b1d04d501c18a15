import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { DiscoveryEnv } from '../clients/discover.js';
export { allRuleMetas } from '../scan/rule-catalog.js';
import type { CliIo } from './io.js';

export const DEFAULT_LOCK_FILE = 'mcp.lock';
export const DEFAULT_IGNORE_FILE = '.mcp-guard.yaml';

/** Discovery sees the CLI's io, not the real process, so tests point it at fixture trees. */
export function discoveryEnvFor(io: CliIo): DiscoveryEnv {
  const env: DiscoveryEnv = {
    platform: process.platform,
    home: io.env.HOME ?? io.env.USERPROFILE ?? homedir(),
    cwd: io.cwd,
    env: io.env,
  };
  // Where managed (system-wide) configs are looked up; tests point it at a fixture tree.
  if (io.env.MCP_GUARD_SYSTEM_ROOT) env.systemRoot = io.env.MCP_GUARD_SYSTEM_ROOT;
  return env;
}

export function resolveFrom(io: CliIo, path: string): string {
  return resolve(io.cwd, path);
}

export function defaultIgnoreFile(io: CliIo): string | undefined {
  const path = resolve(io.cwd, DEFAULT_IGNORE_FILE);
  return existsSync(path) ? path : undefined;
}
