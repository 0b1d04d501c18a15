// scan and lock look at the server behind a wrapped entry, not at the proxy launch wrap wrote.
import { describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../src/model.js';
import { seeThroughProxy } from '../../src/scan/see-through-proxy.js';

const source = { client: 'claude-desktop' as const, path: '/c/claude_desktop_config.json', scope: 'user' as const, pointer: 'mcpServers.keyed' };
const URL_WITH_KEY = 'https://mcp.example.com/mcp?api_key=k-0123456789';

function wrapped(args: string[], env: Record<string, string> | undefined): ServerEntry {
  return {
    name: 'keyed',
    transport: 'stdio',
    command: '/usr/bin/node',
    args: ['/opt/mcp-guard/bin/mcp-guard.js', 'proxy', '--lock', '/p/mcp.lock', '--name', 'keyed', ...args],
    ...(env ? { env } : {}),
    sources: [source],
  };
}

describe('seeThroughProxy for wrapped remote servers', () => {
  it('reads the URL of a --url-env launch from the entry\'s env and drops the variables that only fed the proxy', () => {
    const entry = wrapped(['--url-env', 'MCP_GUARD_URL', '--header-env', 'X-Tenant=MCP_GUARD_HEADER_X_TENANT'], {
      MCP_GUARD_URL: URL_WITH_KEY,
      MCP_GUARD_HEADER_X_TENANT: 'acme',
      OTHER: '1',
    });
    expect(seeThroughProxy(entry)).toEqual({
      name: 'keyed',
      transport: 'http',
      url: URL_WITH_KEY,
      headers: { 'X-Tenant': 'acme' },
      env: { OTHER: '1' },
      sources: [source],
      viaProxy: true,
    });
  });

  it('gives the same entry for --url and for --url-env with the same URL', () => {
    const viaArgv = seeThroughProxy(wrapped(['--url', URL_WITH_KEY], undefined));
    const viaEnv = seeThroughProxy(wrapped(['--url-env', 'MCP_GUARD_URL'], { MCP_GUARD_URL: URL_WITH_KEY }));
    expect(viaEnv).toEqual(viaArgv);
    expect(viaEnv).not.toHaveProperty('env');
  });

  it('keeps the launch as it is when the variable is missing or empty', () => {
    for (const env of [undefined, {}, { MCP_GUARD_URL: '' }] as (Record<string, string> | undefined)[]) {
      const entry = wrapped(['--url-env', 'MCP_GUARD_URL'], env);
      expect(seeThroughProxy(entry)).toBe(entry);
    }
  });
});
