import { discoverServers, readConfigFiles, type DiscoveryEnv } from '../clients/discover.js';
import { GuardError } from '../errors.js';
import type { DiscoveryResult, ServerEntry } from '../model.js';
import { seeThroughProxy } from './see-through-proxy.js';

export interface SelectInput {
  discoveryEnv: DiscoveryEnv;
  /** Explicit --config files; when empty, every known client's configs are discovered. */
  configPaths: string[];
  /** --server NAME filters; empty = all. */
  serverNames: string[];
  /** Names may refer to a static listing rather than a config, so unknown names are not an error. */
  allowUnknownNames?: boolean;
}

export interface Selection {
  discovery: DiscoveryResult;
  entries: ServerEntry[];
}

/** Read configs (explicit or discovered) and apply --server filters. */
export async function selectServers(input: SelectInput): Promise<Selection> {
  const read =
    input.configPaths.length > 0
      ? await readConfigFiles(input.configPaths, input.discoveryEnv)
      : await discoverServers(input.discoveryEnv);
  const discovery = { ...read, servers: read.servers.map(seeThroughProxy) };
  return { discovery, entries: filterByName(discovery.servers, input.serverNames, input.allowUnknownNames ?? false) };
}

export function filterByName(servers: ServerEntry[], names: string[], allowUnknown: boolean): ServerEntry[] {
  if (names.length === 0) return servers;
  const known = new Set(servers.map((server) => server.name));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0 && !allowUnknown) {
    throw new GuardError('server-unknown', `no configured server named ${unknown.map((n) => `"${n}"`).join(', ')}`, {
      hint: `configured servers: ${[...known].join(', ') || '(none)'}`,
    });
  }
  return servers.filter((server) => names.includes(server.name));
}
