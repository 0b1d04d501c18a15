import { describe, expect, it } from 'vitest';
import { mergeServers, type FoundServer } from '../../src/clients/dedupe.js';
import { discoverServers } from '../../src/clients/discover.js';
import type { ParsedServer } from '../../src/clients/types.js';
import type { ClientId, ConfigScope } from '../../src/model.js';
import { byName, fixture, treeEnv } from './helpers.js';

describe('same name across files (conflicting-names tree)', () => {
  it('merges identical launches and disambiguates different ones', async () => {
    const { servers } = await discoverServers(treeEnv('conflicting-names', 'linux'));
    // `shared` is the same launch in ~/.claude.json, ~/.cursor/mcp.json and the project .mcp.json.
    const shared = byName(servers, 'shared');
    expect(shared.sources.map((source) => `${source.client}:${source.scope}`)).toEqual([
      'claude-code:user',
      'claude-code:project',
      'cursor:user',
    ]);
    // `notes` has three launches: cursor (user and project files agree on it; env values differ,
    // which is not a different launch), claude-code user, claude-code project.
    expect(servers.map((server) => server.name)).toEqual([
      'notes@claude-code:project',
      'notes@claude-code:user',
      'notes@cursor',
      'shared',
    ]);
    expect(byName(servers, 'notes@cursor')).toMatchObject({ args: ['notes.js'], sources: [{ scope: 'user' }, { scope: 'project' }] });
    expect(byName(servers, 'notes@claude-code:user').args).toEqual(['notes-v2.js']);
    expect(byName(servers, 'notes@claude-code:project').args).toEqual(['notes-project.js']);
    expect(byName(servers, 'notes@claude-code:project').sources[0]!.path).toBe(fixture('conflicting-names', 'project', '.mcp.json'));
  });
});

function found(client: ClientId, scope: ConfigScope, path: string, server: Partial<ParsedServer> & { name: string }): FoundServer {
  const parsed: ParsedServer = { pointer: `mcpServers.${server.name}`, transport: 'stdio', command: 'node', ...server };
  return { server: parsed, source: { client, scope, path, pointer: parsed.pointer }, unresolved: [] };
}

describe('mergeServers', () => {
  it('names variants deterministically whatever the input order', () => {
    const items = [
      found('cursor', 'user', '/a', { name: 'x', args: ['1'] }),
      found('claude-code', 'user', '/b', { name: 'x', args: ['2'] }),
      found('claude-code', 'user', '/c', { name: 'x', args: ['3'] }),
      found('vscode', 'project', '/d', { name: 'y' }),
    ];
    const forward = mergeServers(items);
    const backward = mergeServers([...items].reverse());
    expect(backward).toEqual(forward);
    // Two claude-code user variants: numbered in source (path) order.
    expect(forward.map((server) => `${server.name}=${(server.args ?? []).join('')}`)).toEqual([
      'x@claude-code:user#1=2',
      'x@claude-code:user#2=3',
      'x@cursor=1',
      'y=',
    ]);
  });

  it('treats a different env name, cwd, url or transport as a different launch', () => {
    const base = { name: 's', args: ['a'], env: { A: '1' } };
    const variants = [
      found('cursor', 'user', '/1', base),
      found('kiro', 'user', '/2', { ...base, env: { A: 'other value' } }),
      found('zed', 'user', '/3', { ...base, env: { B: '1' } }),
      found('cline', 'user', '/4', { ...base, cwd: '/srv' }),
    ];
    const merged = mergeServers(variants);
    expect(merged.map((server) => server.name)).toEqual(['s@cline', 's@cursor', 's@zed']);
    expect(merged.find((server) => server.name === 's@cursor')!.sources.map((source) => source.client)).toEqual(['cursor', 'kiro']);
  });

  it('keeps a merged server enabled when any copy is enabled, and unions unresolved placeholders', () => {
    const one = found('cursor', 'user', '/1', { name: 'p', disabled: true });
    const two = { ...found('kiro', 'user', '/2', { name: 'p' }), unresolved: ['${input:b}', '${input:a}'] };
    const [merged] = mergeServers([one, two]);
    expect(merged!.disabled).toBeUndefined();
    expect(merged!.unresolvedPlaceholders).toEqual(['${input:a}', '${input:b}']);
    const [off] = mergeServers([one, found('kiro', 'user', '/2', { name: 'p', disabled: true })]);
    expect(off!.disabled).toBe(true);
  });
});
