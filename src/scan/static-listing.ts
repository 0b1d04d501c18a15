import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { GuardError, lineColumnAt } from '../errors.js';
import type { JsonObject, JsonValue, ServerSnapshot } from '../model.js';

// `scan --static FILE` (design §6) reads a saved listing instead of connecting. Accepted shapes:
//   {"tools": [...]}                      a tools/list result
//   [ {...tool}, ... ]                    a bare array of tools
//   {"servers": {"NAME": {"tools": [...], "prompts": [...], "resources": [...],
//                         "resourceTemplates": [...], "instructions": "...", "serverInfo": {...}}}}
// Single-listing files are named after the file (`listing.json` → server "listing").

const ENTITY_KEYS = ['tools', 'prompts', 'resources', 'resourceTemplates'] as const;

export async function readStaticListing(path: string): Promise<ServerSnapshot[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new GuardError('static-invalid', `cannot read static listing: ${(error as NodeJS.ErrnoException).code ?? error}`, {
      location: { file: path },
    });
  }
  let data: JsonValue;
  try {
    data = JSON.parse(text) as JsonValue;
  } catch (error) {
    const offset = /position (\d+)/.exec(String(error))?.[1];
    const position = offset === undefined ? {} : lineColumnAt(text, Number(offset));
    throw new GuardError('static-invalid', `static listing is not valid JSON: ${(error as Error).message}`, {
      location: { file: path, ...position },
    });
  }
  return snapshotsFromListing(data, path);
}

export function snapshotsFromListing(data: JsonValue, path: string): ServerSnapshot[] {
  const fallbackName = basename(path, extname(path)) || 'static';
  if (Array.isArray(data)) return [snapshotFrom(fallbackName, { tools: data }, path, '')];
  if (!isObject(data)) throw invalid(path, 'expected an object or an array of tools');
  if ('servers' in data) {
    const servers = data.servers;
    if (!isObject(servers)) throw invalid(path, '"servers" must be an object of NAME → listing');
    return Object.keys(servers)
      .sort()
      .map((name) => {
        const listing = servers[name];
        if (!isObject(listing)) throw invalid(path, `servers.${name} must be an object`);
        return snapshotFrom(name, listing, path, `servers.${name}.`);
      });
  }
  if ('tools' in data) return [snapshotFrom(fallbackName, data, path, '')];
  throw invalid(path, 'expected {"tools": [...]}, a bare array of tools, or {"servers": {...}}');
}

function snapshotFrom(name: string, listing: JsonObject, path: string, prefix: string): ServerSnapshot {
  const lists: Record<(typeof ENTITY_KEYS)[number], JsonObject[]> = {
    tools: [],
    prompts: [],
    resources: [],
    resourceTemplates: [],
  };
  for (const key of ENTITY_KEYS) {
    const value = listing[key];
    if (value === undefined) continue;
    if (!Array.isArray(value)) throw invalid(path, `${prefix}${key} must be an array`);
    value.forEach((item, index) => {
      if (!isObject(item)) throw invalid(path, `${prefix}${key}[${index}] must be an object`);
      const identifier = key === 'resources' ? item.uri : key === 'resourceTemplates' ? item.uriTemplate : item.name;
      if (typeof identifier !== 'string') {
        const field = key === 'resources' ? 'uri' : key === 'resourceTemplates' ? 'uriTemplate' : 'name';
        throw invalid(path, `${prefix}${key}[${index}] has no string "${field}"`);
      }
      lists[key].push(item);
    });
  }
  const instructions = listing.instructions;
  if (instructions !== undefined && typeof instructions !== 'string') {
    throw invalid(path, `${prefix}instructions must be a string`);
  }
  const snapshot: ServerSnapshot = {
    server: name,
    protocolVersion: typeof listing.protocolVersion === 'string' ? listing.protocolVersion : 'unknown',
    serverInfo: isObject(listing.serverInfo) ? listing.serverInfo : { name, version: 'static' },
    serverCapabilities: isObject(listing.capabilities) ? listing.capabilities : {},
    clientCapabilities: isObject(listing.clientCapabilities) ? listing.clientCapabilities : {},
    ...lists,
    notes: [`read from static listing ${path}`],
  };
  if (typeof instructions === 'string') snapshot.instructions = instructions;
  return snapshot;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(path: string, message: string): GuardError {
  return new GuardError('static-invalid', `invalid static listing: ${message}`, { location: { file: path } });
}
