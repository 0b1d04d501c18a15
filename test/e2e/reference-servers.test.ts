import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateLock } from '../../src/lock/lock-validate.js';
import type { LockFile } from '../../src/lock/lock-file.js';
import { fixtureServer, referenceServer, REPO_ROOT, runCli, tempDir, writeJson } from '../helpers/cli.js';

// The spine, end to end, over the official reference servers: lock them, prove the lock is complete,
// deterministic, schema-valid and free of secrets, then prove a re-scan is clean.

const CANARIES = {
  env: 'CANARY-SECRET-ENV-7f3a9c51',
  argFlag: 'CANARY-SECRET-ARG-1b2c3d4e',
  argToken: 'ghp_CANARYcanaryCANARYcanaryCANARY0123',
  header: 'CANARY-SECRET-HEADER-5e6f7a8b',
  urlPassword: 'CANARYurlPASSWORD99',
};

let dir: string;
let configPath: string;
let http: ChildProcess;

beforeAll(async () => {
  dir = tempDir('mcp-guard-reference-');
  mkdirSync(join(dir, 'files'));
  writeFileSync(join(dir, 'files', 'hello.txt'), 'hello\n');
  const urlFile = join(dir, 'http-url');
  http = spawn(process.execPath, [join(REPO_ROOT, 'fixtures/servers/http.mjs')], {
    env: { ...process.env, HTTP_BEARER_TOKEN: CANARIES.header, HTTP_URL_FILE: urlFile },
    stdio: 'ignore',
  });
  for (let i = 0; i < 200 && !existsSync(urlFile); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  const url = readFileSync(urlFile, 'utf8').trim();
  configPath = writeJson(join(dir, 'mcp.json'), {
    mcpServers: {
      everything: referenceServer('everything', [], { EVERYTHING_API_TOKEN: CANARIES.env }),
      filesystem: referenceServer('filesystem', [join(dir, 'files')]),
      memory: referenceServer('memory', [], { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') }),
      'sequential-thinking': referenceServer('sequential-thinking'),
      notes: fixtureServer('benign.mjs', undefined, [`--token=${CANARIES.argFlag}`, CANARIES.argToken]),
      remote: { type: 'http', url, headers: { Authorization: `Bearer ${CANARIES.header}` } },
      'remote-with-password': {
        type: 'http',
        url: url.replace('http://', `http://reader:${CANARIES.urlPassword}@`),
        headers: { Authorization: `Bearer ${CANARIES.header}` },
      },
    },
  });
});

afterAll(() => {
  http?.kill('SIGKILL');
});

function expectNoCanary(text: string) {
  for (const canary of Object.values(CANARIES)) expect(text).not.toContain(canary);
}

describe('lock and re-scan the reference servers', () => {
  let lockText: string;

  it('locks every server (exit 0) without pinning secrets', async () => {
    const run = await runCli(['lock', '--config', configPath, '--lock', join(dir, 'mcp.lock'), '--offline']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    lockText = readFileSync(join(dir, 'mcp.lock'), 'utf8');
    expectNoCanary(lockText);
    expectNoCanary(run.stdout);
    const lock = JSON.parse(lockText) as LockFile;
    expect(Object.keys(lock.servers).sort()).toEqual(
      ['everything', 'filesystem', 'memory', 'notes', 'remote', 'remote-with-password', 'sequential-thinking'].sort(),
    );
    // Names are kept so a reviewer sees what the server gets; values never are.
    expect(lock.servers.everything!.identity.envNames).toEqual(['EVERYTHING_API_TOKEN']);
    expect(lock.servers.remote!.identity.headerNames).toEqual(['Authorization']);
  });

  it('is deterministic: a second lock run writes identical bytes', async () => {
    const second = join(dir, 'second.lock');
    const run = await runCli(['lock', '--config', configPath, '--lock', second, '--offline']);
    // The output says which server failed, should one ever fail to list here.
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(readFileSync(second, 'utf8')).toBe(lockText);
  });

  it('is valid against mcp-lock.schema.json and ends with a newline', () => {
    expect(validateLock(JSON.parse(lockText) as unknown)).toEqual([]);
    expect(lockText.endsWith('}\n')).toBe(true);
  });

  it('is complete: holds every tool an independent SDK listing sees, with the same capabilities', async () => {
    const lock = JSON.parse(lockText) as LockFile;
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as {
      mcpServers: Record<string, { command?: string; args?: string[]; env?: Record<string, string> }>;
    };
    for (const name of ['everything', 'filesystem', 'memory', 'sequential-thinking', 'notes']) {
      const entry = config.mcpServers[name]!;
      const locked = lock.servers[name]!;
      const client = new Client(
        { name: 'independent-lister', version: '1.0.0' },
        { capabilities: locked.clientCapabilities as Record<string, never> },
      );
      // Answer what server-everything asks during start-up so it lists its full tool set.
      client.setRequestHandler((await import('@modelcontextprotocol/sdk/types.js')).ListRootsRequestSchema, () => ({ roots: [] }));
      await client.connect(
        new StdioClientTransport({
          command: entry.command!,
          args: entry.args ?? [],
          env: { ...(process.env as Record<string, string>), ...entry.env },
          stderr: 'ignore',
        }),
      );
      try {
        const names: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await client.listTools(cursor ? { cursor } : {});
          names.push(...page.tools.map((tool) => tool.name));
          cursor = page.nextCursor;
        } while (cursor);
        expect(Object.keys(locked.tools).sort(), name).toEqual(names.sort());
        expect(names.length, name).toBeGreaterThan(0);
      } finally {
        await client.close();
      }
    }
  });

  it('re-scans clean: exit 0, no drift, nothing at medium or above, no secrets in any format', async () => {
    for (const format of ['json', 'human', 'sarif', 'github']) {
      const run = await runCli(['scan', '--config', configPath, '--lock', join(dir, 'mcp.lock'), '--offline', '--format', format]);
      expectNoCanary(run.stdout);
      expectNoCanary(run.stderr);
      expect(run.code, `${format}: ${run.stderr}`).toBe(0);
      if (format !== 'json') continue;
      const report = JSON.parse(run.stdout) as {
        drift: unknown[];
        findings: { severity: string; ruleId: string; location: { server: string } }[];
        summary: { serversListed: number; exitCode: number };
      };
      expect(report.drift).toEqual([]);
      expect(report.summary.serversListed).toBe(7);
      expect(report.summary.exitCode).toBe(0);
      const serious = report.findings.filter((finding) => ['medium', 'high', 'critical'].includes(finding.severity));
      expect(serious).toEqual([]);
    }
  });
});
