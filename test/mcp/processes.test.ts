import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveProcessCount } from '../../src/mcp/child-process.js';
import { listServer, listServers } from '../../src/mcp/list-server.js';
import { failureOf, fixture, fixtureEntry, isProcessAlive, names, REPO_ROOT, snapshotOf, stdioEntry, tempDir, waitUntil } from './helpers.js';

function processGroupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

function readPid(file: string): number {
  return Number(readFileSync(file, 'utf8'));
}

describe.runIf(process.platform === 'linux')('child process lifecycle', () => {
  const wrappers: { label: string; command: string; args: string[] }[] = [
    { label: 'a node wrapper', command: 'node', args: [fixture('spawn-wrapper.mjs')] },
    { label: 'a sh wrapper', command: fixture('spawn-wrapper.sh'), args: [] },
  ];
  for (const wrapper of wrappers) {
    it(`leaves no grandchild behind ${wrapper.label} after a timeout`, async () => {
      const pidFile = path.join(tempDir(), 'server.pid');
      const entry = stdioEntry('wrapped-slow', [...wrapper.args, fixture('slow.mjs')], {
        command: wrapper.command,
        env: { SLOW_PID_FILE: pidFile, SLOW_INIT_MS: '600000' },
      });
      const error = failureOf(await listServer(entry, { timeoutMs: 2_000 }));
      expect(error.code).toBe('timeout');
      const grandchild = readPid(pidFile);
      // The SDK stdio server ignores stdin EOF and the wrapper forwards no signal: only a group kill ends it.
      expect(isProcessAlive(grandchild)).toBe(false);
      expect(liveProcessCount()).toBe(0);
    });
  }

  it('leaves nothing running after a normal listing through the wrapper', async () => {
    const pidFile = path.join(tempDir(), 'server.pid');
    const entry = stdioEntry('wrapped-slow', [fixture('spawn-wrapper.mjs'), fixture('slow.mjs')], {
      env: { SLOW_PID_FILE: pidFile, SLOW_INIT_MS: '0' },
    });
    expect(names(snapshotOf(await listServer(entry, { timeoutMs: 20_000 })).tools)).toEqual(['wait']);
    expect(isProcessAlive(readPid(pidFile))).toBe(false);
  });

  it('stops listing and kills the server when the caller aborts', async () => {
    const pidFile = path.join(tempDir(), 'server.pid');
    const controller = new AbortController();
    const pending = listServer(fixtureEntry('slow.mjs', { env: { SLOW_PID_FILE: pidFile } }), {
      timeoutMs: 120_000,
      signal: controller.signal,
    });
    await waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').length > 0, 'the server to start');
    controller.abort();
    const error = failureOf(await pending);
    expect(error.message).toContain('cancelled');
    expect(isProcessAlive(readPid(pidFile))).toBe(false);
  });

  for (const [signal, exitCode] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`on ${signal}, shuts down every server process group and exits ${exitCode}`, async () => {
      const pidFile = path.join(tempDir(), 'server.pid');
      const harness = spawn(
        process.execPath,
        [
          path.join(REPO_ROOT, 'node_modules/vite-node/vite-node.mjs'),
          path.join(REPO_ROOT, 'test/mcp/harness/interrupt-harness.ts'),
          fixture('spawn-wrapper.mjs'),
          fixture('slow.mjs'),
        ],
        { cwd: REPO_ROOT, env: { ...process.env, SLOW_PID_FILE: pidFile, SLOW_INIT_MS: '600000' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      harness.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      harness.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => harness.once('exit', (code) => resolve(code)));
      await waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').length > 0, 'the wrapped server to start', 1_500);
      const grandchild = readPid(pidFile);
      const group = processGroupOf(grandchild);
      expect(group).not.toBe(processGroupOf(harness.pid as number));

      harness.kill(signal);
      expect(await exited, output).toBe(exitCode);
      // A SIGKILLed process can take a moment to leave the run queue; it must go without our help.
      await waitUntil(() => !isProcessAlive(grandchild) && !isProcessAlive(group), 'the server processes to be gone');
    });
  }
});

describe('listing many servers', () => {
  it('lists servers concurrently and returns outcomes in input order', async () => {
    const log = path.join(tempDir(), 'starts.jsonl');
    const entries = [
      fixtureEntry('slow.mjs', { name: 'slow-a', env: { SLOW_INIT_MS: '1500', MCP_FIXTURE_LOG: log } }),
      fixtureEntry('benign.mjs', { name: 'benign' }),
      fixtureEntry('crash-on-init.mjs', { name: 'crash' }),
      fixtureEntry('slow.mjs', { name: 'slow-b', env: { SLOW_INIT_MS: '1500', MCP_FIXTURE_LOG: log } }),
      fixtureEntry('paginated.mjs', { name: 'paginated' }),
    ];
    const outcomes = await listServers(entries, { timeoutMs: 30_000, concurrency: 5 });
    expect(outcomes.map((o) => o.server)).toEqual(['slow-a', 'benign', 'crash', 'slow-b', 'paginated']);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false, true, true]);
    // Both slow servers received initialize before either answered it: they were in flight together.
    // The log records a request when it arrives, and each slow server holds initialize for 1.5 s.
    const methods = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line).method);
    expect(methods.slice(0, 2)).toEqual(['initialize', 'initialize']);
  });

  it('honours the concurrency limit', async () => {
    const log = path.join(tempDir(), 'starts.jsonl');
    const entries = ['a', 'b', 'c'].map((name) =>
      fixtureEntry('slow.mjs', { name, env: { SLOW_INIT_MS: '300', MCP_FIXTURE_LOG: log } }),
    );
    const outcomes = await listServers(entries, { timeoutMs: 30_000, concurrency: 1 });
    expect(outcomes.every((o) => o.ok)).toBe(true);
    // One at a time: each server's tools/list arrives before the next server's initialize.
    const methods = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line).method);
    expect(methods).toEqual(['initialize', 'tools/list', 'initialize', 'tools/list', 'initialize', 'tools/list']);
  });
});
