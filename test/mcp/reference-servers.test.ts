// The four reference servers from the MCP project, launched as a client would launch them, must list
// completely: our tool names must match an independent listing by the SDK's own client stack.
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_CAPABILITIES, listServer } from '../../src/mcp/list-server.js';
import type { JsonObject } from '../../src/model.js';
import { names, REPO_ROOT, snapshotOf, stdioEntry, tempDir } from './helpers.js';

function serverScript(name: string): string {
  return path.join(REPO_ROOT, `node_modules/@modelcontextprotocol/server-${name}/dist/index.js`);
}

async function independentToolNames(args: string[], capabilities: JsonObject): Promise<string[]> {
  const client = new Client({ name: 'independent-check', version: '1.0.0' }, { capabilities: capabilities as ClientCapabilities });
  const transport = new StdioClientTransport({ command: process.execPath, args, stderr: 'ignore' });
  await client.connect(transport);
  try {
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor === undefined ? {} : { cursor });
      all.push(...page.tools.map((tool) => tool.name));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return all;
  } finally {
    await client.close();
  }
}

const cases: { name: string; args: () => string[] }[] = [
  { name: 'everything', args: () => [serverScript('everything')] },
  { name: 'filesystem', args: () => [serverScript('filesystem'), tempDir()] },
  { name: 'memory', args: () => [serverScript('memory')] },
  { name: 'sequential-thinking', args: () => [serverScript('sequential-thinking')] },
];

describe('reference servers', () => {
  for (const { name, args } of cases) {
    it(`lists server-${name} completely`, async () => {
      const argv = args();
      const snapshot = snapshotOf(await listServer(stdioEntry(name, argv), { timeoutMs: 30_000 }));
      const expected = await independentToolNames(argv, DEFAULT_CLIENT_CAPABILITIES);
      expect(expected.length).toBeGreaterThan(0);
      expect(names(snapshot.tools).sort()).toEqual([...expected].sort());
      expect(snapshot.protocolVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(typeof snapshot.serverInfo.name).toBe('string');
    });
  }

  it('lists server-everything deterministically, and its tool set follows the declared capabilities', async () => {
    const entry = stdioEntry('everything', [serverScript('everything')]);
    const first = snapshotOf(await listServer(entry, { timeoutMs: 30_000 }));
    const second = snapshotOf(await listServer(entry, { timeoutMs: 30_000 }));
    expect(names(second.tools)).toEqual(names(first.tools));
    expect(second.tools).toEqual(first.tools);
    // facts.md: 13 tools with no capabilities, 16 with roots + sampling + elicitation.
    expect(first.tools).toHaveLength(16);
    const bare = snapshotOf(await listServer(entry, { timeoutMs: 30_000, clientCapabilities: {} }));
    expect(bare.tools).toHaveLength(13);
    expect(names(bare.tools).sort()).toEqual((await independentToolNames([serverScript('everything')], {})).sort());
    expect(first.prompts.length).toBeGreaterThan(0);
    expect(first.resources.length).toBeGreaterThan(0);
    expect(first.resourceTemplates.length).toBeGreaterThan(0);
    expect(typeof first.instructions).toBe('string');
  });
});
