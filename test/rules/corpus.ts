// Loads the development corpus: real servers' definitions (benign) and written attacks (poisoned).
import { readdirSync, readFileSync } from 'node:fs';
import type { JsonObject, ServerSnapshot } from '../../src/model.js';
import { snapshot } from './snapshots.js';
import type { SnapshotParts } from './snapshots.js';

const CORPUS = new URL('../corpus/', import.meta.url);

export interface BenignServer {
  snapshot: ServerSnapshot;
  package: string;
  version: string;
}

export function benignServers(): BenignServer[] {
  const dir = new URL('benign/', CORPUS);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const raw = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as SnapshotParts & { server: string; package: string; version: string };
      return { snapshot: snapshot(raw.server, raw), package: raw.package, version: raw.version };
    });
}

export interface PoisonedCase {
  id: string;
  class: string;
  source: string;
  attacker: string;
  servers: Record<string, SnapshotParts & { tools?: JsonObject[] }>;
}

export function poisonedCases(): PoisonedCase[] {
  return (JSON.parse(readFileSync(new URL('poisoned/cases.json', CORPUS), 'utf8')) as { cases: PoisonedCase[] }).cases;
}

export function snapshotsOfCase(poisoned: PoisonedCase): ServerSnapshot[] {
  return Object.entries(poisoned.servers).map(([name, parts]) => snapshot(name, parts));
}
