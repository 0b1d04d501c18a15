// The launch wrap writes must start a working proxy session: read the wrapped entry back from the
// file, start exactly that command with the entry's env (as the client would), and talk MCP to it.
// Uses the built CLI (bin/mcp-guard.js → dist), like the proxy's own end-to-end tests.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientById } from '../../src/clients/registry.js';
import { LineClient, SCENARIO, toolCallsReceived, writeLockFor } from '../proxy/helpers.js';
import { run, workspace } from './helpers.js';

describe('a wrapped entry launches the proxy in front of the original server', () => {
  it('answers initialize, lists the locked tools and relays a call to the real server', async () => {
    const { dir, env } = await workspace();
    const upstreamLog = join(dir, 'upstream.jsonl');
    const lock = await writeLockFor(dir, 'scenario', [SCENARIO]);
    const config = join(dir, 'claude_desktop_config.json');
    await writeFile(
      config,
      `${JSON.stringify({ mcpServers: { scenario: { command: process.execPath, args: [SCENARIO], env: { MCP_FIXTURE_LOG: upstreamLog } } } }, null, 2)}\n`,
    );
    const wrapped = await run('wrap', ['--config', config, '--lock', lock], dir, env);
    expect(wrapped.stdout).toMatch(/wrapped\s+scenario/);

    const [entry] = clientById('claude-desktop').parse(await readFile(config, 'utf8'), config);
    const client = new LineClient(entry!.command!, entry!.args!, entry!.env);
    try {
      const init = await client.initialize();
      expect(init.result.serverInfo.name).toBe('proxy-fixture');
      const list = await client.request('tools/list', {});
      expect(list.result.tools.map((tool: { name: string }) => tool.name)).toContain('echo');
      const call = await client.request('tools/call', { name: 'echo', arguments: { text: 'hello' } });
      expect(call.error).toBeUndefined();
      expect(toolCallsReceived(upstreamLog, 'echo')).toHaveLength(1);
    } finally {
      await client.close();
    }
  });
});
