// paged-v2.mjs — a 2026-07-28-only server (v2 server SDK, legacy initialize rejected) that paginates
// every list and prints a banner on stdout, for the lister's 2026-era path.
// Env:
//   PAGED_MODE   unset: tools in 3 pages, prompts in 1, resources in 2, resource templates in 1.
//                cursor-loop: the tools' page 2 points back at page 2.
//                hang: tools/list page 2 never answers.
//   PAGED_PID_LOG  a file to which each started process appends its pid, one a line.
import { appendFileSync } from 'node:fs';
import { Server } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';

const mode = process.env.PAGED_MODE || '';
if (process.env.PAGED_PID_LOG) appendFileSync(process.env.PAGED_PID_LOG, `${process.pid}\n`);
// Not JSON-RPC: a careful client skips it as noise.
process.stdout.write('paged-v2 starting up\n');

const tools = Array.from({ length: 7 }, (_, i) => ({
  name: `tool_${i}`,
  description: `Tool number ${i}.`,
  inputSchema: { type: 'object', properties: {} },
  ...(i === 0 ? { 'x-vendor': { kept: true } } : {}),
}));
const prompts = [{ name: 'summarize', description: 'Summarize the forecast.' }];
const resources = [
  { uri: 'weather://today', name: 'today' },
  { uri: 'weather://tomorrow', name: 'tomorrow' },
  { uri: 'weather://week', name: 'week' },
];
const resourceTemplates = [{ uriTemplate: 'weather://city/{name}', name: 'city' }];

/** Pages of `size`; the cursor is the index of the next page's first item. */
function page(items, key, cursor, size) {
  const start = cursor === undefined ? 0 : Number(cursor);
  const end = start + size;
  return { [key]: items.slice(start, end), ...(end < items.length ? { nextCursor: String(end) } : {}) };
}

serveStdio(
  () => {
    const server = new Server(
      { name: 'paged-v2', version: '0.3.0' },
      { capabilities: { tools: {}, prompts: {}, resources: {} }, instructions: 'Paged on purpose.' },
    );
    server.setRequestHandler('tools/list', async (request) => {
      const cursor = request.params?.cursor;
      if (mode === 'cursor-loop' && cursor === '3') return { tools: tools.slice(3, 6), nextCursor: '3' };
      if (mode === 'hang' && cursor !== undefined) return new Promise(() => {});
      return page(tools, 'tools', cursor, 3);
    });
    server.setRequestHandler('prompts/list', (request) => page(prompts, 'prompts', request.params?.cursor, 5));
    server.setRequestHandler('resources/list', (request) => page(resources, 'resources', request.params?.cursor, 2));
    server.setRequestHandler('resources/templates/list', (request) => page(resourceTemplates, 'resourceTemplates', request.params?.cursor, 5));
    return server;
  },
  { legacy: 'reject' },
);
