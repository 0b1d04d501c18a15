// Rebuilds test/corpus/benign/: starts real MCP servers from their published npm packages over stdio and
// saves the raw wire result of tools/list, prompts/list, resources/list and resources/templates/list.
// Setup (scratch dir, never the repo): mkdir /tmp/corpus && cd /tmp/corpus && npm init -y &&
//   npm i --ignore-scripts <the packages named below>
// Run: CORPUS_DIR=/tmp/corpus node test/corpus/list-servers.mjs [server-name ...]
// Credentials are dummies: these servers need them only when a tool is called, not to list. server-redis,
// supabase-mcp, stripe-mcp and azure-devops-mcp did not list here (live backend or Node 22 needed) and are
// absent from the corpus.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { readFileSync, writeFileSync, realpathSync } from 'node:fs';
import { z } from 'zod';
const loose = z.object({}).passthrough();
const CORPUS_DIR = process.env.CORPUS_DIR ?? '/tmp/corpus';
const OUT = new URL('./benign/', import.meta.url).pathname;
const bin = (n) => realpathSync(`${CORPUS_DIR}/node_modules/.bin/${n}`);
const pkgVersion = (p) => JSON.parse(readFileSync(`${CORPUS_DIR}/node_modules/${p}/package.json`, 'utf8')).version;
const dummy = {
  GITHUB_PERSONAL_ACCESS_TOKEN: 'dummy', GITLAB_PERSONAL_ACCESS_TOKEN: 'dummy', GITLAB_API_URL: 'https://gitlab.example/api/v4',
  SLACK_BOT_TOKEN: 'xoxb-dummy', SLACK_TEAM_ID: 'T000', BRAVE_API_KEY: 'dummy', GOOGLE_MAPS_API_KEY: 'dummy',
  FIRECRAWL_API_KEY: 'fc-dummy', TAVILY_API_KEY: 'tvly-dummy', SUPABASE_ACCESS_TOKEN: 'sbp_dummy',
  SENTRY_ACCESS_TOKEN: 'dummy', NOTION_TOKEN: 'ntn_dummy', OPENAPI_MCP_HEADERS: '{}', STRIPE_SECRET_KEY: 'sk_test_dummy', CIRCLECI_TOKEN: 'dummy', MCP_MODE: 'stdio', AWS_ACCESS_KEY_ID: 'dummy', AWS_SECRET_ACCESS_KEY: 'dummy', AWS_REGION: 'us-east-1', EVERART_API_KEY: 'dummy', API_KEY: 'dummy', DISABLE_CONSOLE_OUTPUT: 'true', EXA_API_KEY: 'dummy', PERPLEXITY_API_KEY: 'dummy',
};
const servers = [
  ['server-everything', '@modelcontextprotocol/server-everything', ['mcp-server-everything', []]],
  ['server-filesystem', '@modelcontextprotocol/server-filesystem', ['mcp-server-filesystem', ['/tmp']]],
  ['server-memory', '@modelcontextprotocol/server-memory', ['mcp-server-memory', []]],
  ['server-sequential-thinking', '@modelcontextprotocol/server-sequential-thinking', ['mcp-server-sequential-thinking', []]],
  ['server-github', '@modelcontextprotocol/server-github', ['mcp-server-github', []]],
  ['server-gitlab', '@modelcontextprotocol/server-gitlab', ['mcp-server-gitlab', []]],
  ['server-slack', '@modelcontextprotocol/server-slack', ['mcp-server-slack', []]],
  ['server-brave-search', '@modelcontextprotocol/server-brave-search', ['mcp-server-brave-search', []]],
  ['server-puppeteer', '@modelcontextprotocol/server-puppeteer', ['mcp-server-puppeteer', []]],
  ['server-postgres', '@modelcontextprotocol/server-postgres', ['mcp-server-postgres', ['postgresql://localhost/none']]],
  ['server-google-maps', '@modelcontextprotocol/server-google-maps', ['mcp-server-google-maps', []]],
  ['server-redis', '@modelcontextprotocol/server-redis', ['mcp-server-redis', ['redis://localhost:1']]],
  ['playwright-mcp', '@playwright/mcp', ['playwright-mcp', []]],
  ['chrome-devtools-mcp', 'chrome-devtools-mcp', ['chrome-devtools-mcp', []]],
  ['notion-mcp-server', '@notionhq/notion-mcp-server', ['notion-mcp-server', []]],
  ['supabase-mcp', '@supabase/mcp-server-supabase', ['mcp-server-supabase', ['--access-token', 'sbp_dummy']]],
  ['stripe-mcp', '@stripe/mcp', ['mcp', ['--tools=all', '--api-key=sk_test_dummy']]],
  ['firecrawl-mcp', 'firecrawl-mcp', ['firecrawl-mcp', []]],
  ['sentry-mcp', '@sentry/mcp-server', ['sentry-mcp', ['--access-token=dummy']]],
  ['context7-mcp', '@upstash/context7-mcp', ['context7-mcp', []]],
  ['mcp-server-kubernetes', 'mcp-server-kubernetes', ['mcp-server-kubernetes', []]],
  ['tavily-mcp', 'tavily-mcp', ['tavily-mcp', []]],
  ['azure-devops-mcp', '@azure-devops/mcp', ['mcp-server-azuredevops', ['contoso']]],
  ['circleci-mcp', '@circleci/mcp-server-circleci', ['mcp-server-circleci', []]],
  ['mongodb-mcp', 'mongodb-mcp-server', ['mongodb-mcp-server', []]],
  ['n8n-mcp', 'n8n-mcp', ['n8n-mcp', []]],
  ['next-devtools-mcp', 'next-devtools-mcp', ['next-devtools-mcp', []]],
  ['zereight-gitlab-mcp', '@zereight/mcp-gitlab', ['zereight-mcp-gitlab', []]],
  ['nx-mcp', 'nx-mcp', ['nx-mcp', [CORPUS_DIR]]],
  ['server-aws-kb-retrieval', '@modelcontextprotocol/server-aws-kb-retrieval', ['mcp-server-aws-kb-retrieval', []]],
  ['server-everart', '@modelcontextprotocol/server-everart', ['mcp-server-everart', []]],
  ['testsprite-mcp', '@testsprite/testsprite-mcp', ['testsprite-mcp-plugin', []]],
  ['desktop-commander', '@wonderwhy-er/desktop-commander', ['desktop-commander', []]],
  ['exa-mcp', 'exa-mcp-server', ['exa-mcp-server', []]],
  ['code-runner-mcp', 'mcp-server-code-runner', ['mcp-server-code-runner', []]],
  ['perplexity-mcp', '@perplexity-ai/mcp-server', ['perplexity-mcp', []]],
];
const only = process.argv.slice(2);
async function listAll(client, method, key) {
  const out = []; let cursor;
  for (let i = 0; i < 50; i++) {
    const r = await client.request({ method, params: cursor ? { cursor } : {} }, loose, { timeout: 60000 });
    out.push(...(r[key] ?? [])); cursor = r.nextCursor; if (!cursor) break;
  }
  return out;
}
for (const [name, pkg, [b, args]] of servers) {
  if (only.length && !only.includes(name)) continue;
  const transport = new StdioClientTransport({ command: process.execPath, args: [bin(b), ...args], env: { ...process.env, ...dummy }, stderr: 'ignore', cwd: CORPUS_DIR });
  const client = new Client({ name: 'corpus-lister', version: '0' }, { capabilities: {} });
  try {
    await client.connect(transport, { timeout: 60000 });
    const caps = client.getServerCapabilities() ?? {};
    const snap = { server: name, package: pkg, version: pkgVersion(pkg), instructions: client.getInstructions(), tools: [], prompts: [], resources: [], resourceTemplates: [] };
    if (caps.tools) snap.tools = await listAll(client, 'tools/list', 'tools');
    if (caps.prompts) snap.prompts = await listAll(client, 'prompts/list', 'prompts').catch(() => []);
    if (caps.resources) { snap.resources = await listAll(client, 'resources/list', 'resources').catch(() => []); snap.resourceTemplates = await listAll(client, 'resources/templates/list', 'resourceTemplates').catch(() => []); }
    writeFileSync(`${OUT}${name}.json`, JSON.stringify(snap, null, 2) + '\n');
    console.log(`${name}: ${snap.tools.length} tools, ${snap.prompts.length} prompts, ${snap.resources.length} resources`);
  } catch (e) { console.log(`${name}: FAILED ${e.message}`); }
  finally { await client.close().catch(() => {}); }
}
process.exit(0);
