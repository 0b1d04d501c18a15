// Reads mcp.lock and selects the entry the proxy enforces. Drift itself is judged by the one shared
// classifier (src/lock/drift.ts), so `scan` and the proxy can never disagree about what drifted.

import { GuardError } from '../errors.js';
import type { EntityKind } from '../model.js';
import { classifyEntityDrift } from '../lock/drift.js';
import { ENTITY_COLLECTIONS, getOwn, type LockedEntity, type LockedServer } from '../lock/lock-file.js';
import { readLock } from '../lock/lock-io.js';
import type { EntityClassifier, LockedServerView } from './gate-state.js';

export interface GateLock {
  serverName: string;
  view: LockedServerView<LockedEntity>;
  classify: EntityClassifier<LockedEntity>;
}

/**
 * Throws GuardError (`lock-missing`, `lock-invalid`, `lock-unreadable`, `server-unknown`) whose message and
 * hint say what to run; the proxy turns it into a refused session unless --learn was given.
 */
export async function loadGateLock(path: string, name: string | undefined): Promise<GateLock> {
  // Only the enforced entry's digests are recomputed (the whole file is still validated): a team lock's
  // other servers would otherwise cost start-up time in every proxy. `scan` checks all of them.
  const lock = await readLock(path, name === undefined ? {} : { server: name });
  if (lock === undefined) {
    throw new GuardError('lock-missing', `no lock file at ${path}`, {
      hint: 'run `mcp-guard lock` to review and pin the server first (or pass --learn to relay without enforcement)',
    });
  }
  const names = Object.keys(lock.servers);
  let serverName: string;
  if (name !== undefined) {
    serverName = name;
  } else if (names.length === 1) {
    serverName = names[0]!;
  } else {
    throw new GuardError('usage', `${path} holds ${names.length} servers and --name was not given`, {
      hint: 'pass --name NAME with the server\'s name in the lock',
    });
  }
  const server = getOwn(lock.servers, serverName);
  if (server === undefined) {
    throw new GuardError('server-unknown', `server "${serverName}" is not in ${path}`, {
      hint: `run \`mcp-guard lock --server ${serverName}\` to review and pin it`,
    });
  }
  return { serverName, view: lockedServerView(server), classify: (kind, _name, locked, current) => classifyEntityDrift(kind, locked, current) };
}

export function lockedServerView(server: LockedServer): LockedServerView<LockedEntity> {
  const entities = {} as Record<EntityKind, ReadonlyMap<string, LockedEntity>>;
  for (const [kind, collection] of ENTITY_COLLECTIONS) {
    const record = server[collection];
    entities[kind] = new Map(Object.keys(record).map((key) => [key, record[key]!] as const));
  }
  return { instructions: server.instructions?.text, entities };
}
