import { existsSync } from 'node:fs';
import { mkdir, readdir, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashArguments, previewArguments } from '../../src/approvals/arguments-preview.js';
import { ApprovalStore, type ApprovalInput, type ApprovalRequest } from '../../src/approvals/store.js';
import { GuardError } from '../../src/errors.js';
import { approvalsHome, runApprovalsCli } from './helpers.js';

const ARGS = { path: '/etc/hosts', content: 'hello' };

function input(overrides: Partial<ApprovalInput> = {}): ApprovalInput {
  return {
    server: 'files',
    tool: 'write_file',
    argumentsHash: hashArguments(ARGS),
    lockDigest: 'sha256:1111',
    argumentsPreview: previewArguments(ARGS),
    reason: 'policy rule 2 asks for approval',
    // These tests approve from children of the test process, which is the "client" here.
    clientPid: null,
    ...overrides,
  };
}

/** Starts a request and resolves with its id once it is filed, plus the pending outcome. */
function requestAndWait(store: ApprovalStore, options: Parameters<ApprovalStore['request']>[1] = {}, fields: Partial<ApprovalInput> = {}) {
  let filed!: (request: ApprovalRequest) => void;
  const pending = new Promise<ApprovalRequest>((resolve) => (filed = resolve));
  const result = store.request(input(fields), { timeoutMs: 60_000, ...options, onPending: filed });
  return { pending, result };
}

describe('approving from another process', () => {
  it('approve → approved, and the request is consumed', async () => {
    const { env } = await approvalsHome();
    const store = new ApprovalStore({ env });
    const { pending, result } = requestAndWait(store);
    const request = await pending;
    const cli = await runApprovalsCli(['approve', request.id], env);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`approved ${request.id}`);
    expect(await result).toEqual({ id: request.id, outcome: 'approved' });
    expect(await store.list()).toEqual([]);
    expect(existsSync(join(store.primaryDirectory, `${request.id}.request.json`))).toBe(false);
  });

  it('deny → denied', async () => {
    const { env } = await approvalsHome();
    const store = new ApprovalStore({ env });
    const { pending, result } = requestAndWait(store);
    const request = await pending;
    const cli = await runApprovalsCli(['deny', request.id.toUpperCase()], env);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`denied ${request.id}`);
    expect((await result).outcome).toBe('denied');
  });

  it('is single use: a second approve is refused, and the same arguments again need a new approval', async () => {
    const { env } = await approvalsHome();
    const store = new ApprovalStore({ env });
    const first = requestAndWait(store);
    const request = await first.pending;
    await store.decide(request.id, 'approve');
    expect((await first.result).outcome).toBe('approved');

    const again = await runApprovalsCli(['approve', request.id], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already approved');

    const second = requestAndWait(store, { timeoutMs: 400 });
    const secondRequest = await second.pending;
    expect(secondRequest.id).not.toBe(request.id);
    expect(secondRequest.argumentsHash).toBe(request.argumentsHash);
    expect((await second.result).outcome).toBe('timeout');
  });
});

describe('timeouts and withdrawal', () => {
  it('times out, removes the request, and a late approve is refused with a reason', async () => {
    const { env } = await approvalsHome();
    const store = new ApprovalStore({ env });
    const { pending, result } = requestAndWait(store, { timeoutMs: 300 });
    const request = await pending;
    expect(await result).toEqual({ id: request.id, outcome: 'timeout' });
    expect(existsSync(join(store.primaryDirectory, `${request.id}.request.json`))).toBe(false);
    expect(await store.list()).toEqual([]);

    const late = await runApprovalsCli(['approve', request.id], env);
    expect(late.code).toBe(2);
    expect(late.stderr).toContain('timed out');
    expect(late.stderr).toContain('no effect');
  });

  it('a zero timeout refuses at once; a timeout that is not a number falls back to the default', async () => {
    const { env } = await approvalsHome();
    const store = new ApprovalStore({ env });
    expect((await store.request(input(), { timeoutMs: 0 })).outcome).toBe('timeout');
    const { pending, result } = requestAndWait(store, { timeoutMs: Number.NaN });
    const request = await pending;
    expect(Date.parse(request.expiresAt) - Date.parse(request.createdAt)).toBe(45_000);
    await store.decide(request.id, 'deny');
    expect((await result).outcome).toBe('denied');
  });

  it('refuses to approve a request past its expiry even before the waiter noticed', async () => {
    const { env } = await approvalsHome();
    const store = new ApprovalStore({ env });
    const dir = store.primaryDirectory;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // A live waiter (this process) whose request expired a moment ago.
    const { clientPid: _none, ...fields } = input();
    const expired: ApprovalRequest = {
      id: 'abcdefghjk',
      ...fields,
      createdAt: new Date(Date.now() - 2_000).toISOString(),
      expiresAt: new Date(Date.now() - 1_000).toISOString(),
      pid: process.pid,
      host: (await import('node:os')).hostname(),
    };
    await writeFile(join(dir, `${expired.id}.request.json`), JSON.stringify(expired), { mode: 0o600 });
    await expect(store.decide(expired.id, 'approve')).rejects.toThrow(/expired/);
    expect(existsSync(join(dir, `${expired.id}.outcome.json`))).toBe(false);
  });

  it('an abort withdraws the request and removes its file; approving it afterwards is refused', async () => {
    const { env } = await approvalsHome();
    const store = new ApprovalStore({ env });
    const controller = new AbortController();
    const { pending, result } = requestAndWait(store, { signal: controller.signal });
    const request = await pending;
    controller.abort();
    expect(await result).toEqual({ id: request.id, outcome: 'withdrawn' });
    expect(existsSync(join(store.primaryDirectory, `${request.id}.request.json`))).toBe(false);
    await expect(store.decide(request.id, 'approve')).rejects.toThrow(/withdrawn/);
  });

  it('sends heartbeats while waiting', async () => {
    const { env } = await approvalsHome();
    const store = new ApprovalStore({ env });
    let beats = 0;
    let id = '';
    const result = store.request(input(), {
      timeoutMs: 60_000,
      heartbeatMs: 20,
      onPending: (request) => (id = request.id),
      onHeartbeat: () => {
        beats++;
        if (beats === 3) void store.decide(id, 'approve');
      },
    });
    expect((await result).outcome).toBe('approved');
    expect(beats).toBeGreaterThanOrEqual(3);
  });
});

describe('binding', () => {
  it('a decision that names other arguments or another lock digest refuses the call', async () => {
    for (const field of ['argumentsHash', 'lockDigest'] as const) {
      const { env } = await approvalsHome();
      const store = new ApprovalStore({ env });
      const { pending, result } = requestAndWait(store);
      const request = await pending;
      const forged = { v: 1, id: request.id, outcome: 'approved', argumentsHash: request.argumentsHash, lockDigest: request.lockDigest, time: new Date().toISOString() };
      forged[field] = 'sha256:other';
      await writeFile(join(store.primaryDirectory, `${request.id}.outcome.json`), JSON.stringify(forged), { mode: 0o600 });
      expect((await result).outcome).toBe('denied');
    }
  });

  it('hashes arguments canonically: key order does not matter, values do', () => {
    expect(hashArguments({ a: 1, b: [1, 2] })).toBe(hashArguments({ b: [1, 2], a: 1 }));
    expect(hashArguments({ a: 1 })).not.toBe(hashArguments({ a: 2 }));
    expect(hashArguments(undefined)).toBe(hashArguments({}));
  });
});

describe('the approvals directory', () => {
  it('is created 0700 with request and outcome files 0600', async () => {
    const { env } = await approvalsHome();
    const store = new ApprovalStore({ env });
    expect(store.primaryDirectory).toBe(join(env.XDG_RUNTIME_DIR, 'mcp-guard', 'approvals'));
    const { pending, result } = requestAndWait(store);
    const request = await pending;
    expect((await stat(store.primaryDirectory)).mode & 0o777).toBe(0o700);
    expect((await stat(join(store.primaryDirectory, `${request.id}.request.json`))).mode & 0o777).toBe(0o600);
    await store.decide(request.id, 'deny');
    expect((await stat(join(store.primaryDirectory, `${request.id}.outcome.json`))).mode & 0o777).toBe(0o600);
    await result;
    expect((await readdir(store.primaryDirectory)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('falls back to the state directory, where a CLI with a runtime directory still finds the request', async () => {
    const { env } = await approvalsHome();
    // GUI clients start servers with a stripped environment: no XDG variables at all.
    const proxyStore = new ApprovalStore({ env: { HOME: env.HOME } });
    expect(proxyStore.primaryDirectory).toBe(join(env.HOME, '.local', 'state', 'mcp-guard', 'approvals'));
    const { pending, result } = requestAndWait(proxyStore);
    const request = await pending;
    const listed = await runApprovalsCli(['approvals', '--json'], env);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { requests: { id: string }[] }).requests.map((r) => r.id)).toEqual([request.id]);
    expect((await runApprovalsCli(['approve', request.id], env)).code).toBe(0);
    expect((await result).outcome).toBe('approved');
  });

  it('refuses a symlinked directory instead of filing requests through it', async () => {
    const { root, env } = await approvalsHome();
    const elsewhere = join(root, 'elsewhere');
    await mkdir(elsewhere, { mode: 0o700 });
    await mkdir(join(env.XDG_RUNTIME_DIR, 'mcp-guard'), { mode: 0o700 });
    await symlink(elsewhere, join(env.XDG_RUNTIME_DIR, 'mcp-guard', 'approvals'));
    const store = new ApprovalStore({ env });
    await expect(store.request(input(), { timeoutMs: 1_000 })).rejects.toThrow(GuardError);
    expect(await readdir(elsewhere)).toEqual([]);
  });
});

describe('unknown ids', () => {
  it('an id that is not pending exits 2 with a clear message', async () => {
    const { env } = await approvalsHome();
    const unknown = await runApprovalsCli(['approve', 'abcdefghjk'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no pending approval request abcdefghjk');
  });

  it('text that cannot be an id never reaches a path', async () => {
    const { env } = await approvalsHome();
    const traversal = await runApprovalsCli(['approve', '../../../etc/passwd'], env);
    expect(traversal.code).toBe(2);
    expect(traversal.stderr).toContain('not an approval id');
    await expect(new ApprovalStore({ env }).decide('', 'deny')).rejects.toThrow(/not an approval id/);
  });

  it('approve without an id is a usage error', async () => {
    const { env } = await approvalsHome();
    const run = await runApprovalsCli(['approve'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('usage: mcp-guard approve ID');
  });
});

describe('the race between a decision and the deadline', () => {
  it('approve succeeds exactly when the call runs, however close to the deadline it lands', async () => {
    const { env } = await approvalsHome();
    const store = new ApprovalStore({ env });
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const timeoutMs = 40 + (i % 6) * 10;
      const { pending, result } = requestAndWait(store, { timeoutMs });
      const request = await pending;
      // Land the decision around the deadline: sometimes before, sometimes after.
      await new Promise((resolve) => setTimeout(resolve, timeoutMs - 20 + (i % 5) * 10));
      const accepted = await store.decide(request.id, 'approve').then(
        () => true,
        () => false,
      );
      const { outcome } = await result;
      expect(outcome).toBe(accepted ? 'approved' : 'timeout');
      seen.add(outcome);
    }
    expect(seen.has('timeout')).toBe(true);
  });
});

describe('housekeeping', () => {
  it('removes old outcomes and requests long past their expiry, and keeps fresh ones', async () => {
    const { env } = await approvalsHome();
    const store = new ApprovalStore({ env });
    const dir = store.primaryDirectory;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const { hostname } = await import('node:os');
    const { clientPid: _none, ...fields } = input();
    const longExpired: ApprovalRequest = {
      id: 'aaaaaaaaaa',
      ...fields,
      createdAt: new Date(Date.now() - 10 * 60_000).toISOString(),
      expiresAt: new Date(Date.now() - 9 * 60_000).toISOString(),
      pid: process.pid,
      host: hostname(),
    };
    await writeFile(join(dir, 'aaaaaaaaaa.request.json'), JSON.stringify(longExpired), { mode: 0o600 });
    const outcome = { v: 1, id: 'bbbbbbbbbb', outcome: 'timeout', argumentsHash: 'x', lockDigest: 'y', time: new Date().toISOString() };
    await writeFile(join(dir, 'bbbbbbbbbb.outcome.json'), JSON.stringify(outcome), { mode: 0o600 });
    await writeFile(join(dir, 'cccccccccc.outcome.json'), JSON.stringify({ ...outcome, id: 'cccccccccc' }), { mode: 0o600 });
    const old = new Date(Date.now() - 11 * 60_000);
    await utimes(join(dir, 'bbbbbbbbbb.outcome.json'), old, old);

    expect(await store.list()).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(['cccccccccc.outcome.json']);
    await expect(store.decide('cccccccccc', 'approve')).rejects.toThrow(/timed out/);
  });
});
