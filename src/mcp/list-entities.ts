// Reads one list method through every page, keeping each entity exactly as the server sent it.
// `client.listTools()` is not used: it drops unknown keys, makes a whole page throw on one malformed
// tool, and (like every SDK helper) reads page 1 only (facts.md).
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ErrorCode, McpError, ResultSchema } from '@modelcontextprotocol/sdk/types.js';
import type { JsonObject, ListFailure } from '../model.js';
import { isJsonObject } from './wire-tap.js';

export type ListMethod = 'tools/list' | 'prompts/list' | 'resources/list' | 'resources/templates/list';

const RESULT_KEY: Record<ListMethod, string> = {
  'tools/list': 'tools',
  'prompts/list': 'prompts',
  'resources/list': 'resources',
  'resources/templates/list': 'resourceTemplates',
};

/** A listing problem that makes the whole server "could not list". */
export class ListingError extends Error {
  constructor(readonly code: ListFailure['code'], message: string) {
    super(message);
    this.name = 'ListingError';
  }
}

export interface PageBudget {
  maxPages: number;
  /** Entities still allowed across every list of this server; decremented as pages arrive. */
  entitiesLeft: number;
}

export interface ListRequestOptions {
  signal: AbortSignal;
  timeoutMs: number;
  /** Called before each page so timeouts can say where listing stopped. */
  onPage?: (page: number) => void;
}

export interface ListedEntities {
  items: JsonObject[];
  pages: number;
  /** Non-object array elements we could not keep. */
  malformed: number;
  /** True when the server answered "method not found" although it declared the capability. */
  notImplemented: boolean;
}

export async function listAllPages(
  client: Client,
  method: ListMethod,
  budget: PageBudget,
  options: ListRequestOptions,
): Promise<ListedEntities> {
  const key = RESULT_KEY[method];
  const items: JsonObject[] = [];
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  let malformed = 0;
  let pages = 0;

  for (;;) {
    if (pages >= budget.maxPages) {
      throw new ListingError('too-large', `${method} returned more than ${budget.maxPages} pages`);
    }
    options.onPage?.(pages + 1);
    let result: Record<string, unknown>;
    try {
      // ResultSchema is a loose object: unknown keys, and the entities inside, come back untouched.
      result = await client.request(
        { method, params: cursor === undefined ? {} : { cursor } },
        ResultSchema,
        { signal: options.signal, timeout: options.timeoutMs },
      );
    } catch (error) {
      if (pages === 0 && error instanceof McpError && error.code === ErrorCode.MethodNotFound) {
        return { items, pages, malformed, notImplemented: true };
      }
      throw error;
    }
    pages++;

    const page = result[key];
    if (!Array.isArray(page)) {
      throw new ListingError('protocol-error', `${method} page ${pages} has no "${key}" array`);
    }
    if (page.length > budget.entitiesLeft) {
      throw new ListingError('too-large', `${method} returned more entities than the limit allows`);
    }
    budget.entitiesLeft -= page.length;
    for (const item of page) {
      if (isJsonObject(item)) items.push(item);
      else malformed++;
    }

    const next = result.nextCursor;
    if (next === undefined || next === null) break;
    if (typeof next !== 'string') {
      throw new ListingError('protocol-error', `${method} page ${pages} has a non-string nextCursor`);
    }
    if (seenCursors.has(next)) {
      throw new ListingError('cursor-cycle', `${method} repeated a cursor on page ${pages}; the server's pagination loops`);
    }
    seenCursors.add(next);
    cursor = next;
  }
  return { items, pages, malformed, notImplemented: false };
}
