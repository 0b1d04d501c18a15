import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPROVAL_ID_LENGTH, newApprovalId, normalizeApprovalId } from '../../src/approvals/approval-id.js';
import { previewArguments } from '../../src/approvals/arguments-preview.js';
import { ApprovalStore, type ApprovalRequest } from '../../src/approvals/store.js';
import { approvalsHome, runApprovalsCli, startWaiter } from './helpers.js';

const HOSTILE_TOOL = 'write\u001b[2J\u001b]0;pwned\u0007_file\u202Eexe.txt';
const SECRET = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';

describe('mcp-guard approvals', () => {
  it('lists a pending request with its id, server, tool, arguments, reason and time left', async () => {
    const { env } = await approvalsHome();
    const store = new ApprovalStore({ env });
    let filed!: (request: ApprovalRequest) => void;
    const pending = new Promise<ApprovalRequest>((resolve) => (filed = resolve));
    const controller = new AbortController();
    const result = store.request(
      { server: 'files', tool: 'write_file', argumentsHash: 'sha256:aa', lockDigest: 'sha256:bb', argumentsPreview: previewArguments({ path: '/tmp/a' }), reason: 'writes need approval', clientPid: null },
      { timeoutMs: 120_000, signal: controller.signal, onPending: filed },
    );
    const request = await pending;
    const human = await runApprovalsCli(['approvals'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('1 pending approval request:');
    expect(human.stdout).toContain(`${request.id}  "write_file" on server "files"`);
    expect(human.stdout).toMatch(/\(\dm \d\ds left\)/);
    expect(human.stdout).toContain('arguments: {"path":"/tmp/a"}');
    expect(human.stdout).toContain('reason:    writes need approval');
    expect(human.stdout).toContain(`mcp-guard approve ${request.id}`);

    const json = await runApprovalsCli(['approvals', '--json'], env);
    const body = JSON.parse(json.stdout) as { version: number; requests: Record<string, unknown>[] };
    expect(body.version).toBe(1);
    expect(body.requests).toEqual([
      expect.objectContaining({ id: request.id, server: 'files', tool: 'write_file', argumentsHash: 'sha256:aa', lockDigest: 'sha256:bb', reason: 'writes need approval' }),
    ]);
    controller.abort();
    expect((await result).outcome).toBe('withdrawn');
    expect((await runApprovalsCli(['approvals'], env)).stdout).toBe('no pending approval requests\n');
  });

  it('renders hostile tool names and arguments inert: escapes shown, secrets redacted, long values cut', async () => {
    const { env } = await approvalsHome();
    const store = new ApprovalStore({ env });
    let filed!: (request: ApprovalRequest) => void;
    const pending = new Promise<ApprovalRequest>((resolve) => (filed = resolve));
    const controller = new AbortController();
    const args = { token: SECRET, note: `see \u001b[31mred\u001b[0m and ${SECRET}`, filler: 'x'.repeat(5_000) };
    const result = store.request(
      {
        server: 'evil\u202Eserver',
        tool: HOSTILE_TOOL,
        argumentsHash: 'sha256:aa',
        lockDigest: 'sha256:bb',
        // A careless caller passing raw text: the store bounds and redacts it anyway.
        argumentsPreview: JSON.stringify(args),
        reason: `reason with \u0007 bell and key=${SECRET}`,
        clientPid: null,
      },
      { timeoutMs: 120_000, signal: controller.signal, onPending: filed },
    );
    const request = await pending;
    expect(request.argumentsPreview).not.toContain(SECRET);
    expect(request.argumentsPreview.length).toBeLessThan(1_000);

    for (const args of [['approvals'], ['approvals', '--json']]) {
      const run = await runApprovalsCli(args, env);
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain(SECRET);
      expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202a-\u202e]/);
      expect(run.stdout).toContain('[REDACTED]');
    }
    const human = (await runApprovalsCli(['approvals'], env)).stdout;
    expect(human).toContain('write\\u{001B ESC}[2J');
    expect(human).toContain('\\u{202E RLO}exe.txt');
    expect(human).toContain('…');

    const decided = await runApprovalsCli(['deny', request.id], env);
    expect(decided.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202a-\u202e]/);
    expect(decided.stdout).toContain('\\u{001B ESC}');
    expect((await result).outcome).toBe('denied');
  });
});

describe('requests from proxies that died', () => {
  it('are neither listed nor approvable, and their files are removed', async () => {
    const { env } = await approvalsHome();
    const waiter = await startWaiter(env);
    const store = new ApprovalStore({ env });
    expect((await store.list()).map((request) => request.id)).toEqual([waiter.id]);

    const exited = new Promise((resolve) => waiter.child.on('exit', resolve));
    waiter.child.kill('SIGKILL');
    await exited;
    expect(await store.list()).toEqual([]);
    expect(existsSync(join(store.primaryDirectory, `${waiter.id}.request.json`))).toBe(false);
    const late = await runApprovalsCli(['approve', waiter.id], env);
    expect(late.code).toBe(2);
  });

  it('a live proxy in another process receives the decision', async () => {
    const { env } = await approvalsHome();
    const waiter = await startWaiter(env);
    const exited = new Promise<number | null>((resolve) => waiter.child.on('exit', resolve));
    await new ApprovalStore({ env }).decide(waiter.id, 'approve');
    expect(await exited).toBe(0);
    expect(JSON.parse(waiter.lines()[1]!)).toEqual({ id: waiter.id, outcome: 'approved' });
  });
});

describe('approval ids', () => {
  it('are 10 characters of unambiguous base32 and do not repeat', () => {
    const ids = new Set(Array.from({ length: 2_000 }, () => newApprovalId()));
    expect(ids.size).toBe(2_000);
    for (const id of ids) {
      expect(id).toHaveLength(APPROVAL_ID_LENGTH);
      expect(id).toMatch(/^[0-9a-hjkmnp-tv-z]+$/);
      expect(normalizeApprovalId(id)).toBe(id);
    }
  });

  it('accept what a user types: upper case, i/l for 1, o for 0, surrounding spaces', () => {
    expect(normalizeApprovalId(' ABCDEFGHJK ')).toBe('abcdefghjk');
    expect(normalizeApprovalId('abcdefghjO')).toBe('abcdefghj0');
    expect(normalizeApprovalId('abcdefghjl')).toBe('abcdefghj1');
    expect(normalizeApprovalId('abcdefghju')).toBeUndefined();
    expect(normalizeApprovalId('abc/efghjk')).toBeUndefined();
    expect(normalizeApprovalId('abcdefghjkm')).toBeUndefined();
  });
});
