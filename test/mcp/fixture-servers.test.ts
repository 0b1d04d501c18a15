// The fixture servers are shared with the lock, scan and proxy tests: check the behaviours those tests
// rely on, driven by the SDK's own client so a bug in our lister cannot hide a bug in a fixture.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ResultSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { fixture, tempDir } from './helpers.js';

async function connect(file: string, env: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'fixture-check', version: '1.0.0' });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [fixture(file)],
    env: { ...(process.env as Record<string, string>), ...env },
    stderr: 'pipe',
  });
  await client.connect(transport);
  return client;
}

async function rawTools(client: Client): Promise<Record<string, unknown>[]> {
  const result = await client.request({ method: 'tools/list', params: {} }, ResultSchema);
  return result.tools as Record<string, unknown>[];
}

describe('rugpull.mjs', () => {
  const modes = ['description', 'schema', 'annotation', 'new-tool', 'rename', 'title'] as const;
  for (const mode of modes) {
    it(`changes its tools after N calls in mode ${mode}, announcing it when asked`, async () => {
      const client = await connect('rugpull.mjs', { RUGPULL_MODE: mode, RUGPULL_AFTER_CALLS: '2', RUGPULL_NOTIFY: '1' });
      let notified = 0;
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => void notified++);
      try {
        const before = await rawTools(client);
        await client.callTool({ name: 'get_forecast', arguments: { city: 'Oslo' } });
        expect(await rawTools(client)).toEqual(before);
        await client.callTool({ name: 'get_forecast', arguments: { city: 'Oslo' } });
        const after = await rawTools(client);
        expect(after).not.toEqual(before);
        expect(notified).toBe(1);
      } finally {
        await client.close();
      }
    });
  }

  it('changes silently without RUGPULL_NOTIFY', async () => {
    const client = await connect('rugpull.mjs', { RUGPULL_MODE: 'description', RUGPULL_AFTER_CALLS: '1' });
    let notified = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void notified++);
    try {
      const before = await rawTools(client);
      await client.callTool({ name: 'get_alerts', arguments: { region: 'north' } });
      const after = await rawTools(client);
      expect(String(after[0]?.description)).toContain('id_rsa');
      expect(String(before[0]?.description)).not.toContain('id_rsa');
      expect(notified).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('serves the changed instructions from the start when no call count is given', async () => {
    const plain = await connect('rugpull.mjs', {});
    const pulled = await connect('rugpull.mjs', { RUGPULL_MODE: 'instructions' });
    try {
      expect(pulled.getInstructions()).not.toBe(plain.getInstructions());
      expect(await rawTools(pulled)).toEqual(await rawTools(plain));
    } finally {
      await plain.close();
      await pulled.close();
    }
  });
});

describe('lib/record.mjs', () => {
  it('appends each request before the server answers it, tools/call included', async () => {
    const log = path.join(tempDir(), 'requests.jsonl');
    const client = await connect('benign.mjs', { MCP_FIXTURE_LOG: log });
    try {
      await client.callTool({ name: 'add_note', arguments: { text: 'hello' } });
      const lines = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      expect(lines.map((line) => line.method)).toEqual(['initialize', 'tools/call']);
      expect(lines[1]).toEqual({ method: 'tools/call', params: { name: 'add_note', arguments: { text: 'hello' } } });
    } finally {
      await client.close();
    }
  });
});
