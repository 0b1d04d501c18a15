// `approve` decisions through the built proxy, end to end: by MCP elicitation when the client declared
// it, otherwise out of band (`mcp-guard approve ID` from another process tree). Every refusal is proven
// by the fixture's request log: the upstream never received the call.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashArguments } from '../../src/approvals/arguments-preview.js';
import { ApprovalStore } from '../../src/approvals/store.js';
import { SCENARIO, tempDir, writeLockFor } from '../proxy/helpers.js';
import { CANARY, approveFromOutside, notesLock, openSession, pendingId, runCli, textOf, waitForAudit, type Session } from '../proxy/policy-session.js';

const APPROVE_WRITES = `version: 1
servers:
  notes:
    preset: approve-writes
`;

const accept = { action: 'accept' as const, content: { approve: true } };

async function lockedDigest(tool: string): Promise<string> {
  const lock = JSON.parse(readFileSync(await notesLock(), 'utf8')) as { servers: Record<string, { tools: Record<string, { digests: { full: string } }> }> };
  return lock.servers['notes']!.tools[tool]!.digests.full;
}

describe('approval by elicitation', () => {
  it('asks the user with server, tool, redacted arguments and reason; runs the call on accept', async () => {
    const asked: string[] = [];
    const session = await openSession({
      policy: APPROVE_WRITES,
      elicit: async (request) => {
        asked.push((request.params as { message: string }).message);
        return accept;
      },
    });
    const result = await session.client.callTool({ name: 'add_note', arguments: { text: `key ${CANARY}` } });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toMatch(/^saved note/);
    expect(session.calls('add_note')).toBe(1);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('Server: notes');
    expect(asked[0]).toContain('Tool: add_note');
    expect(asked[0]).toContain('[REDACTED]');
    expect(asked[0]).not.toContain('C4nary7');
    expect(asked[0]).toMatch(/Why it needs approval: .*write tool/);
    // Reads are not held.
    expect((await session.client.callTool({ name: 'list_notes', arguments: {} })).isError).toBeFalsy();
    expect(asked).toHaveLength(1);
    await session.close();
    const records = await waitForAudit(session.audit, 2);
    expect(records[0]).toMatchObject({ tool: 'add_note', decision: 'approve', approval: { via: 'elicitation', outcome: 'approved' }, lockDigest: await lockedDigest('add_note') });
    expect(JSON.stringify(records)).not.toContain('C4nary7');
    const verify = await runCli(['audit', 'verify', session.audit], session.home.env);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  for (const [label, answer] of [
    ['decline', { action: 'decline' as const }],
    ['cancel', { action: 'cancel' as const }],
    ['accept without the confirmation', { action: 'accept' as const, content: { approve: false } }],
  ] as const) {
    it(`denies on ${label}; the upstream never receives the call`, async () => {
      const session = await openSession({ policy: APPROVE_WRITES, elicit: async () => answer });
      const result = await session.client.callTool({ name: 'delete_note', arguments: { id: '1' } });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/did not approve|dismissed/);
      expect(session.calls('delete_note')).toBe(0);
      await session.close();
      const [record] = await waitForAudit(session.audit, 1);
      expect(record).toMatchObject({ tool: 'delete_note', decision: 'deny', source: 'approval', approval: { via: 'elicitation' } });
    });
  }

  it('denies when nobody answers in time, and withdraws its question from the client', async () => {
    let withdrawn = false;
    const session = await openSession({
      policy: APPROVE_WRITES,
      flags: ['--approval-timeout', '800'],
      elicit: (_request, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            withdrawn = true;
            reject(new Error('withdrawn'));
          });
        }),
    });
    const result = await session.client.callTool({ name: 'add_note', arguments: { text: 'late' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('nobody answered in time');
    expect(session.calls('add_note')).toBe(0);
    for (let i = 0; i < 200 && !withdrawn; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(withdrawn).toBe(true);
    await session.close();
  });

  it('sends progress heartbeats while waiting when the call carried a progress token', async () => {
    let sawProgress: () => void = () => undefined;
    const progressed = new Promise<void>((resolve) => (sawProgress = resolve));
    const messages: string[] = [];
    const session = await openSession({
      policy: APPROVE_WRITES,
      flags: ['--approval-timeout', '5000'],
      // Answers only after a heartbeat reached the client: causal, not timed.
      elicit: async () => {
        await progressed;
        return accept;
      },
    });
    const result = await session.client.callTool({ name: 'add_note', arguments: { text: 'with progress' } }, undefined, {
      onprogress: (progress) => {
        messages.push(progress.message ?? '');
        sawProgress();
      },
    });
    expect(result.isError).toBeFalsy();
    expect(messages.length).toBeGreaterThan(0);
    expect(messages[0]).toContain('waiting for the user to approve');
    expect(session.calls('add_note')).toBe(1);
    await session.close();
  });

  it('a client cancellation withdraws the question; the call never runs', async () => {
    let asked: () => void = () => undefined;
    const questionArrived = new Promise<void>((resolve) => (asked = resolve));
    let withdrawn = false;
    const session = await openSession({
      policy: APPROVE_WRITES,
      elicit: (_request, signal) => {
        asked();
        return new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            withdrawn = true;
            reject(new Error('withdrawn'));
          }),
        );
      },
    });
    const controller = new AbortController();
    const call = session.client.callTool({ name: 'add_note', arguments: { text: 'cancel me' } }, undefined, { signal: controller.signal });
    await questionArrived;
    controller.abort('changed my mind');
    await expect(call).rejects.toThrow();
    for (let i = 0; i < 200 && !withdrawn; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(withdrawn).toBe(true);
    // The session goes on, and the withdrawn call never reached the server.
    expect((await session.client.callTool({ name: 'list_notes', arguments: {} })).isError).toBeFalsy();
    expect(session.calls('add_note')).toBe(0);
    await session.close();
    const records = await waitForAudit(session.audit, 2);
    expect(records[0]).toMatchObject({ tool: 'add_note', decision: 'deny', approval: { via: 'elicitation', outcome: 'withdrawn' } });
  });
});

describe('approval out of band', () => {
  it('files a request bound to the argument hash and lock digest; `mcp-guard approve ID` from another terminal runs the call', async () => {
    const session = await openSession({ policy: APPROVE_WRITES });
    const args = { text: `approved ${CANARY}` };
    const call = session.client.callTool({ name: 'add_note', arguments: args });
    const id = await pendingId(session);
    const [pending] = await new ApprovalStore({ env: session.home.env }).list();
    expect(pending).toMatchObject({ id, server: 'notes', tool: 'add_note', argumentsHash: hashArguments(args), lockDigest: await lockedDigest('add_note') });
    expect(pending!.argumentsPreview).not.toContain('C4nary7');
    expect(session.calls('add_note')).toBe(0);

    expect(await approveFromOutside(id, session.home)).toMatch(/^exit 0/);
    const result = await call;
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toMatch(/^saved note/);
    expect(session.calls('add_note')).toBe(1);
    await session.close();
    const [record] = await waitForAudit(session.audit, 1);
    expect(record).toMatchObject({ decision: 'approve', approval: { via: 'out-of-band', outcome: 'approved' } });
  });

  it('sends progress heartbeats while the request waits in the store', async () => {
    const session = await openSession({ policy: APPROVE_WRITES, flags: ['--approval-timeout', '5000'] });
    let sawProgress: () => void = () => undefined;
    const progressed = new Promise<void>((resolve) => (sawProgress = resolve));
    const call = session.client.callTool({ name: 'add_note', arguments: { text: 'progress' } }, undefined, { onprogress: () => sawProgress() });
    const id = await pendingId(session);
    await progressed;
    expect(await approveFromOutside(id, session.home)).toMatch(/^exit 0/);
    expect((await call).isError).toBeFalsy();
    expect(session.calls('add_note')).toBe(1);
    await session.close();
  });

  it('`mcp-guard deny ID` refuses the call', async () => {
    const session = await openSession({ policy: APPROVE_WRITES });
    const call = session.client.callTool({ name: 'delete_note', arguments: { id: '1' } });
    const id = await pendingId(session);
    const denied = await runCli(['deny', id], session.home.env);
    expect(denied.code, denied.stderr).toBe(0);
    const result = await call;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('The user denied this tool call');
    expect(session.calls('delete_note')).toBe(0);
    await session.close();
  });

  it('times out with a reason that says how to approve, and a late approval does not run the call', async () => {
    const session = await openSession({ policy: APPROVE_WRITES, flags: ['--approval-timeout', '1000'] });
    const call = session.client.callTool({ name: 'add_note', arguments: { text: 'too late' } });
    const id = await pendingId(session);
    const result = await call;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('mcp-guard approvals');
    const late = await approveFromOutside(id, session.home);
    expect(late).toMatch(/^exit 2/);
    expect(late).toMatch(/timed out/);
    expect(session.calls('add_note')).toBe(0);
    await session.close();
    const [record] = await waitForAudit(session.audit, 1);
    expect(record).toMatchObject({ decision: 'deny', approval: { via: 'out-of-band', outcome: 'timeout' } });
  });

  it('a client cancellation withdraws the request: approving it afterwards does nothing', async () => {
    const session = await openSession({ policy: APPROVE_WRITES });
    const controller = new AbortController();
    const call = session.client.callTool({ name: 'add_note', arguments: { text: 'withdraw me' } }, undefined, { signal: controller.signal });
    const id = await pendingId(session);
    controller.abort('changed my mind');
    await expect(call).rejects.toThrow();
    const store = new ApprovalStore({ env: session.home.env });
    for (let i = 0; i < 200 && (await store.list()).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    const late = await approveFromOutside(id, session.home);
    expect(late).toMatch(/^exit 2/);
    expect(late).toMatch(/withdrawn/);
    expect((await session.client.callTool({ name: 'list_notes', arguments: {} })).isError).toBeFalsy();
    expect(session.calls('add_note')).toBe(0);
    await session.close();
  });
});

describe('an approval is bound to the locked definition', () => {
  it('a tool that drifts while its call waits for approval is blocked even though the user approved', async () => {
    const lock = await writeLockFor(tempDir(), 'fx', [SCENARIO]);
    let session!: Session;
    const opened = openSession({
      server: { argv: [SCENARIO], lock, name: 'fx' },
      // After one call the fixture rewrites echo's description and announces it.
      env: { FIXTURE_MUTATION: 'description', FIXTURE_NOTIFY: '1', FIXTURE_MUTATE_AFTER: '1' },
      policy: 'version: 1\nservers:\n  fx:\n    rules:\n      - tool: echo\n        action: approve\n',
      elicit: async () => {
        // While the question is open, another call makes the server change echo; the user approves
        // only after the change was announced.
        expect((await session.client.callTool({ name: 'slow', arguments: { ms: 1 } })).isError).toBeFalsy();
        for (let i = 0; i < 400 && session.listChangedCount() === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
        expect(session.listChangedCount()).toBeGreaterThan(0);
        return accept;
      },
    });
    session = await opened;
    const result = await session.client.callTool({ name: 'echo', arguments: { text: 'hi' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/changed since it was locked/);
    expect(session.calls('echo')).toBe(0);
    expect(session.calls('slow')).toBe(1);
    await session.close();
  });
});
