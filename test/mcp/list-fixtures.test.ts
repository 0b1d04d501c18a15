import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_CAPABILITIES, listServer } from '../../src/mcp/list-server.js';
import { failureOf, fixtureEntry, names, snapshotOf, tempDir } from './helpers.js';

const TIMEOUT = 20_000;

describe('listServer on fixture servers', () => {
  it('lists everything a benign server exposes, with the raw protocol data', async () => {
    const snapshot = snapshotOf(await listServer(fixtureEntry('benign.mjs'), { timeoutMs: TIMEOUT }));
    expect(snapshot.server).toBe('benign');
    expect(snapshot.protocolVersion).toBe('2025-11-25');
    expect(snapshot.serverInfo).toEqual({ name: 'notes', version: '1.2.0' });
    expect(snapshot.instructions).toBe('Use list_notes before add_note to avoid duplicates.');
    expect(snapshot.clientCapabilities).toEqual(DEFAULT_CLIENT_CAPABILITIES);
    expect(snapshot.serverCapabilities).toHaveProperty('tools');
    expect(names(snapshot.tools)).toEqual(['list_notes', 'add_note', 'delete_note']);
    const listNotes = snapshot.tools[0];
    expect(listNotes?.annotations).toEqual({ readOnlyHint: true, openWorldHint: false });
    expect(listNotes).toHaveProperty('outputSchema');
    // McpServer adds fields of its own (execution); a raw listing keeps them.
    expect(listNotes).toHaveProperty('execution');
    expect(names(snapshot.prompts)).toEqual(['summarize_notes']);
    expect(snapshot.resources.map((r) => r.uri)).toEqual(['notes://all']);
    expect(snapshot.resourceTemplates.map((t) => t.uriTemplate)).toEqual(['notes://{id}']);
    expect(snapshot.notes).toEqual([]);
  });

  it('keeps poisoned descriptions byte for byte, invisible characters included', async () => {
    const snapshot = snapshotOf(await listServer(fixtureEntry('poisoned.mjs'), { timeoutMs: TIMEOUT }));
    const byName = new Map(snapshot.tools.map((tool) => [tool.name, String(tool.description)]));
    expect(byName.get('get_forecast')).toContain('<IMPORTANT>');
    expect(byName.get('get_forecast')).toContain('~/.ssh/id_rsa');
    expect(byName.get('get_alerts')).toContain('\u200b');
    const radar = byName.get('get_radar') ?? '';
    const smuggled = [...radar].filter((ch) => (ch.codePointAt(0) ?? 0) >= 0xe0000).map((ch) => String.fromCharCode((ch.codePointAt(0) ?? 0) - 0xe0000));
    expect(smuggled.join('')).toContain('Ignore previous instructions');
    expect(byName.get('convert_units')).toContain('send_email');
  });

  it('follows nextCursor through every page of every list', async () => {
    const entry = fixtureEntry('paginated.mjs', { env: { PAGINATED_PAGE_SIZE: '2', PAGINATED_COUNT: '7' } });
    const snapshot = snapshotOf(await listServer(entry, { timeoutMs: TIMEOUT }));
    expect(names(snapshot.tools)).toEqual(['tool_1', 'tool_2', 'tool_3', 'tool_4', 'tool_5', 'tool_6', 'tool_7']);
    expect(names(snapshot.prompts)).toHaveLength(7);
    expect(snapshot.resources).toHaveLength(7);
    expect(snapshot.resourceTemplates).toHaveLength(7);
  });

  it('keeps unknown keys and _meta on tools exactly as sent', async () => {
    const snapshot = snapshotOf(await listServer(fixtureEntry('paginated.mjs'), { timeoutMs: TIMEOUT }));
    expect(snapshot.tools[0]).toEqual({
      name: 'tool_1',
      description: 'Tool number 1.',
      inputSchema: { type: 'object', properties: { n: { type: 'integer' } } },
      'x-vendor': { tier: 'gold', index: 1 },
      _meta: { 'example.com/origin': 'page-fixture-1' },
    });
  });

  it('keeps vendor keys in serverInfo and capabilities from the raw initialize result', async () => {
    const snapshot = snapshotOf(await listServer(fixtureEntry('paginated.mjs'), { timeoutMs: TIMEOUT }));
    expect(snapshot.serverInfo).toEqual({ name: 'paginated', version: '1.0.0', 'x-build': 'fixture-7' });
    expect(snapshot.serverCapabilities['x-vendor-capability']).toEqual({ level: 2 });
  });

  it('notes a declared list method the server does not implement, and lists the rest', async () => {
    const entry = fixtureEntry('paginated.mjs', { env: { PAGINATED_NO_TEMPLATES: '1' } });
    const snapshot = snapshotOf(await listServer(entry, { timeoutMs: TIMEOUT }));
    expect(snapshot.resources).toHaveLength(5);
    expect(snapshot.resourceTemplates).toEqual([]);
    expect(snapshot.notes).toEqual(['the server declared the capability but does not implement resources/templates/list']);
  });

  it('reports a pagination loop as cursor-cycle instead of looping forever', async () => {
    const entry = fixtureEntry('paginated.mjs', { env: { PAGINATED_CYCLE: '1', PAGINATED_COUNT: '9' } });
    const error = failureOf(await listServer(entry, { timeoutMs: TIMEOUT }));
    expect(error.code).toBe('cursor-cycle');
    expect(error.message).toContain('tools/list');
  });

  it('stops at the page and entity limits with too-large', async () => {
    const entry = fixtureEntry('paginated.mjs', { env: { PAGINATED_PAGE_SIZE: '1', PAGINATED_COUNT: '6' } });
    expect(failureOf(await listServer(entry, { timeoutMs: TIMEOUT, maxPages: 5 })).code).toBe('too-large');
    expect(failureOf(await listServer(entry, { timeoutMs: TIMEOUT, maxEntities: 20 })).code).toBe('too-large');
    expect(snapshotOf(await listServer(entry, { timeoutMs: TIMEOUT, maxPages: 6, maxEntities: 24 })).tools).toHaveLength(6);
  });

  it('lists a server with a multi-megabyte description, and refuses one over the message cap', async () => {
    const entry = fixtureEntry('huge.mjs', { env: { HUGE_TOOL_COUNT: '3', HUGE_DESCRIPTION_BYTES: String(4 * 1024 * 1024) } });
    const snapshot = snapshotOf(await listServer(entry, { timeoutMs: TIMEOUT }));
    expect(snapshot.tools).toHaveLength(3);
    expect(String(snapshot.tools[2]?.description)).toHaveLength(4 * 1024 * 1024);
    const capped = failureOf(await listServer(entry, { timeoutMs: TIMEOUT, maxMessageBytes: 1024 * 1024 }));
    expect(capped.code).toBe('too-large');
  });

  it('skips and counts non-JSON stdout lines and tolerates CRLF', async () => {
    const snapshot = snapshotOf(await listServer(fixtureEntry('noisy.mjs'), { timeoutMs: TIMEOUT }));
    expect(names(snapshot.tools)).toEqual(['ping_host']);
    const note = snapshot.notes.find((n) => n.includes('non-JSON stdout'));
    // banner + plugin line, then a debug line and a fragment before each of the 2 responses.
    expect(note).toMatch(/^ignored 6 non-JSON stdout lines/);
    expect(note).toContain('Starting noisy server');
  });

  it('accepts responses sent as JSON-RPC batch arrays', async () => {
    const snapshot = snapshotOf(await listServer(fixtureEntry('noisy.mjs', { env: { NOISY_BATCH: '1' } }), { timeoutMs: TIMEOUT }));
    expect(names(snapshot.tools)).toEqual(['ping_host']);
  });

  it('reports a server that dies during initialize as exited, with its stderr', async () => {
    const error = failureOf(await listServer(fixtureEntry('crash-on-init.mjs'), { timeoutMs: TIMEOUT }));
    expect(error.code).toBe('exited');
    expect(error.message).toContain('exited with code 3');
    expect(error.message).toContain('fatal: API_KEY is not set');
  });

  it('reports a server killed by a signal while listing tools as exited, naming the signal', async () => {
    const entry = fixtureEntry('crash-on-init.mjs', { env: { CRASH_ON: 'tools/list', CRASH_SIGNAL: 'SIGKILL' } });
    const error = failureOf(await listServer(entry, { timeoutMs: TIMEOUT }));
    expect(error.code).toBe('exited');
    expect(error.message).toContain('was killed by SIGKILL while listing tools/list (page 1)');
    expect(error.message).toContain('fatal: API_KEY is not set');
  });

  it('keeps only a bounded tail of stderr, ending with the last line', async () => {
    const entry = fixtureEntry('crash-on-init.mjs', { env: { CRASH_STDERR_BYTES: String(1024 * 1024) } });
    const error = failureOf(await listServer(entry, { timeoutMs: TIMEOUT }));
    expect(error.message.length).toBeLessThan(10_000);
    expect(error.message.slice(-300)).toMatch(/fatal: API_KEY is not set$/);
  });

  it('redacts secrets that a crashing server prints to stderr', async () => {
    const secret = 'sk-live-canary-1234567890';
    const entry = fixtureEntry('crash-on-init.mjs', { env: { CRASH_MESSAGE: `bad key ${secret}`, MY_KEY: secret } });
    const error = failureOf(await listServer(entry, { timeoutMs: TIMEOUT }));
    expect(error.code).toBe('exited');
    expect(error.message).toContain('[REDACTED]');
    expect(error.message).not.toContain(secret);
  });

  it('times out a server that never finishes initialize', async () => {
    const entry = fixtureEntry('slow.mjs', { env: { SLOW_INIT_MS: '60000' } });
    const error = failureOf(await listServer(entry, { timeoutMs: 1_500 }));
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('while initializing');
  });

  it('lists a slow server whose initialize fits in the timeout', async () => {
    const entry = fixtureEntry('slow.mjs', { env: { SLOW_INIT_MS: '300' } });
    expect(names(snapshotOf(await listServer(entry, { timeoutMs: TIMEOUT })).tools)).toEqual(['wait']);
  });

  it('shows capability-dependent tools only to a client that declares the capability', async () => {
    const withElicitation = snapshotOf(await listServer(fixtureEntry('capabilities.mjs'), { timeoutMs: TIMEOUT }));
    expect(names(withElicitation.tools).sort()).toEqual(['confirm_action', 'echo']);
    const bare = snapshotOf(await listServer(fixtureEntry('capabilities.mjs'), { timeoutMs: TIMEOUT, clientCapabilities: {} }));
    expect(names(bare.tools)).toEqual(['echo']);
    expect(bare.clientCapabilities).toEqual({});
  });

  it('fails with spawn-failed for a command that is not on PATH or a missing cwd', async () => {
    const missing = failureOf(await listServer({ name: 'x', transport: 'stdio', command: 'no-such-mcp-server-cmd', sources: [] }, { timeoutMs: TIMEOUT }));
    expect(missing.code).toBe('spawn-failed');
    expect(missing.message).toContain('no-such-mcp-server-cmd');
    const badCwd = failureOf(await listServer(fixtureEntry('benign.mjs', { cwd: '/nonexistent/dir/for/test' }), { timeoutMs: TIMEOUT }));
    expect(badCwd.code).toBe('spawn-failed');
  });

  it('passes the full environment plus the entry env, and the entry cwd', async () => {
    const cwd = tempDir();
    process.env.MCP_GUARD_TEST_PARENT_VAR = 'from-the-parent';
    try {
      const entry = fixtureEntry('env-report.mjs', {
        cwd,
        env: { ENV_REPORT_NAMES: 'MCP_GUARD_TEST_PARENT_VAR,ENTRY_VAR,HOME', ENTRY_VAR: 'from-the-entry' },
      });
      const snapshot = snapshotOf(await listServer(entry, { timeoutMs: TIMEOUT }));
      const byName = new Map(snapshot.tools.map((tool) => [tool.name, tool.description]));
      expect(byName.get('env_MCP_GUARD_TEST_PARENT_VAR')).toBe('from-the-parent');
      expect(byName.get('env_ENTRY_VAR')).toBe('from-the-entry');
      expect(byName.get('env_HOME')).toBe(process.env.HOME);
      expect(byName.get('cwd')).toBe(cwd);
    } finally {
      delete process.env.MCP_GUARD_TEST_PARENT_VAR;
    }
  });

  it('resolves a relative command against the entry cwd', async () => {
    const dir = tempDir();
    const script = path.join(dir, 'run-benign.sh');
    writeFileSync(script, `#!/bin/sh\nexec node ${JSON.stringify(path.resolve('fixtures/servers/benign.mjs'))}\n`, { mode: 0o755 });
    const outcome = await listServer({ name: 'rel', transport: 'stdio', command: './run-benign.sh', cwd: dir, sources: [] }, { timeoutMs: TIMEOUT });
    expect(names(snapshotOf(outcome).tools)).toContain('add_note');
  });

  it('sees a rug pull between two runs', async () => {
    const before = snapshotOf(await listServer(fixtureEntry('rugpull.mjs'), { timeoutMs: TIMEOUT }));
    const after = snapshotOf(await listServer(fixtureEntry('rugpull.mjs', { env: { RUGPULL_MODE: 'schema' } }), { timeoutMs: TIMEOUT }));
    expect(before.tools[0]?.inputSchema).not.toEqual(after.tools[0]?.inputSchema);
    expect(JSON.stringify(after.tools[0]?.inputSchema)).toContain('"cc"');
    const instructions = snapshotOf(await listServer(fixtureEntry('rugpull.mjs', { env: { RUGPULL_MODE: 'instructions' } }), { timeoutMs: TIMEOUT }));
    expect(instructions.instructions).not.toBe(before.instructions);
  });

  it('records every request a fixture receives when MCP_FIXTURE_LOG is set', async () => {
    const log = path.join(tempDir(), 'requests.jsonl');
    snapshotOf(await listServer(fixtureEntry('benign.mjs', { env: { MCP_FIXTURE_LOG: log } }), { timeoutMs: TIMEOUT }));
    const methods = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line).method);
    expect(methods).toEqual(['initialize', 'tools/list', 'prompts/list', 'resources/list', 'resources/templates/list']);
  });

  it('answers server-to-client requests that arrive during listing instead of hanging', async () => {
    const snapshot = snapshotOf(await listServer(fixtureEntry('asks-client.mjs'), { timeoutMs: TIMEOUT }));
    const replies = new Map(snapshot.tools.map((tool) => [tool.name, String(tool.description)]));
    expect(replies.get('reply_ping')).toBe('{}');
    expect(JSON.parse(replies.get('reply_roots') ?? 'null')).toEqual({ roots: [] });
    expect(replies.get('reply_sampling')).toMatch(/^error: .*does not sample/);
    expect(JSON.parse(replies.get('reply_elicitation') ?? 'null')).toEqual({ action: 'decline' });
  });

  it('reads a list again when it changed while being read', async () => {
    const entry = fixtureEntry('paginated.mjs', { env: { PAGINATED_GROW: 'first', PAGINATED_COUNT: '3' } });
    const snapshot = snapshotOf(await listServer(entry, { timeoutMs: TIMEOUT }));
    expect(names(snapshot.tools)).toEqual(['tool_1', 'tool_2', 'tool_3', 'late_tool_4']);
    expect(snapshot.notes).toEqual([]);
  });

  it('gives up re-reading a list that never settles, and says so', async () => {
    const entry = fixtureEntry('paginated.mjs', { env: { PAGINATED_GROW: 'always', PAGINATED_COUNT: '1' } });
    const snapshot = snapshotOf(await listServer(entry, { timeoutMs: TIMEOUT }));
    expect(names(snapshot.tools)).toEqual(['tool_1', 'late_tool_2', 'late_tool_3', 'late_tool_4']);
    expect(snapshot.notes).toContain('tools kept changing while being listed (3 rounds); the last listing is kept');
  });
});
