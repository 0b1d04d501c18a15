import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { DiscoveryEnv } from '../../src/clients/types.js';
import type { ServerEntry } from '../../src/model.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/configs/', import.meta.url));

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

/** A discovery environment rooted entirely inside a fixture tree: no real home, cwd or /etc. */
export function treeEnv(
  tree: string,
  platform: NodeJS.Platform,
  env: Record<string, string | undefined> = {},
): DiscoveryEnv {
  return {
    platform,
    home: fixture(tree, 'home'),
    cwd: fixture(tree, 'project'),
    env,
    systemRoot: fixture(tree, 'system'),
  };
}

export function byName(servers: ServerEntry[], name: string): ServerEntry {
  const found = servers.find((server) => server.name === name);
  if (!found) throw new Error(`no server named ${name}; have ${servers.map((s) => s.name).join(', ')}`);
  return found;
}
