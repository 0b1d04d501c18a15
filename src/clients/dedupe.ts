// Turning per-file entries into the server list every later stage uses.
//
// Same name + identical launch (transport, command, args, url, env names, cwd, header names) in
// several files → ONE ServerEntry whose `sources` lists every file. Env and header VALUES are left out
// of the comparison on purpose: they are secrets that legitimately differ between machines' copies
// of one server, and the lock keeps names only.
//
// Same name + different launch → no entry keeps the bare name (picking a winner would depend on an
// arbitrary precedence, and a lock entry silently switching servers is worse than a renamed one).
// Each variant is named `NAME@CLIENT` after the client of its first source; if variants still
// collide, `NAME@CLIENT:SCOPE`; if still, `NAME@CLIENT:SCOPE#N` numbered in source order. "First"
// is by the deterministic source order (client, scope, path, pointer), so runs agree.
// Output is sorted by name.

import type { ConfigSource, ServerEntry } from '../model.js';
import type { ParsedServer } from './types.js';

export interface FoundServer {
  server: ParsedServer;
  source: ConfigSource;
  unresolved: string[];
}

export function mergeServers(found: readonly FoundServer[]): ServerEntry[] {
  const byName = new Map<string, Map<string, FoundServer[]>>();
  for (const item of [...found].sort((a, b) => compareSources(a.source, b.source))) {
    const launches = byName.get(item.server.name) ?? new Map<string, FoundServer[]>();
    byName.set(item.server.name, launches);
    const key = launchKey(item.server);
    launches.set(key, [...(launches.get(key) ?? []), item]);
  }

  const out: ServerEntry[] = [];
  for (const [name, launches] of byName) {
    const groups = [...launches.values()];
    if (groups.length === 1) {
      out.push(toEntry(name, groups[0]!));
      continue;
    }
    const names = disambiguate(name, groups.map((group) => group[0]!.source));
    groups.forEach((group, index) => out.push(toEntry(names[index]!, group)));
  }
  return out.sort((a, b) => compare(a.name, b.name));
}

function disambiguate(name: string, firsts: ConfigSource[]): string[] {
  const byClient = firsts.map((source) => `${name}@${source.client}`);
  const byScope = firsts.map((source, i) => (count(byClient, byClient[i]!) > 1 ? `${byClient[i]}:${source.scope}` : byClient[i]!));
  const seen = new Map<string, number>();
  return byScope.map((candidate) => {
    if (count(byScope, candidate) === 1) return candidate;
    const n = (seen.get(candidate) ?? 0) + 1;
    seen.set(candidate, n);
    return `${candidate}#${n}`;
  });
}

function count(list: string[], value: string): number {
  return list.filter((item) => item === value).length;
}

function toEntry(name: string, group: FoundServer[]): ServerEntry {
  const first = group[0]!.server;
  const entry: ServerEntry = { name, transport: first.transport, sources: group.map((item) => item.source) };
  if (first.command !== undefined) entry.command = first.command;
  if (first.args !== undefined) entry.args = [...first.args];
  if (first.env !== undefined) entry.env = { ...first.env };
  if (first.cwd !== undefined) entry.cwd = first.cwd;
  if (first.url !== undefined) entry.url = first.url;
  if (first.headers !== undefined) entry.headers = { ...first.headers };
  // One enabled copy means some client starts it.
  if (group.every((item) => item.server.disabled === true)) entry.disabled = true;
  const unresolved = [...new Set(group.flatMap((item) => item.unresolved))].sort(compare);
  if (unresolved.length > 0) entry.unresolvedPlaceholders = unresolved;
  return entry;
}

export function launchKey(server: ParsedServer): string {
  return JSON.stringify([
    server.transport,
    server.command ?? null,
    server.args ?? [],
    server.url ?? null,
    Object.keys(server.env ?? {}).sort(compare),
    server.cwd ?? null,
    Object.keys(server.headers ?? {}).map((key) => key.toLowerCase()).sort(compare),
  ]);
}

const SCOPE_ORDER = { managed: 0, user: 1, project: 2, explicit: 3 } as const;

export function compareSources(a: ConfigSource, b: ConfigSource): number {
  return (
    compare(a.client, b.client) ||
    SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope] ||
    compare(a.path, b.path) ||
    compare(a.pointer, b.pointer)
  );
}

/** Code-unit order: locale-independent, so every machine sorts the same way. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
