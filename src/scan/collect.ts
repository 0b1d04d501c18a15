import { listServers } from '../mcp/list-server.js';
import type { ListFailure, ListOutcome, ServerEntry, ServerSnapshot } from '../model.js';

export interface Listings {
  outcomes: ListOutcome[];
  snapshots: ServerSnapshot[];
  failures: { server: string; error: ListFailure }[];
}

/** List servers concurrently and split the outcomes into snapshots and failures. */
export async function collectListings(entries: ServerEntry[], timeoutMs: number): Promise<Listings> {
  const outcomes = await listServers(entries, { timeoutMs });
  const snapshots: ServerSnapshot[] = [];
  const failures: Listings['failures'] = [];
  for (const outcome of outcomes) {
    if (outcome.ok) snapshots.push(outcome.snapshot);
    else failures.push({ server: outcome.server, error: outcome.error });
  }
  return { outcomes, snapshots, failures };
}
