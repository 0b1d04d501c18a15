// Policies enforced by the built proxy, end to end: the SDK Client over stdio, the real notes fixture
// server behind the proxy. Every denial is proven by the fixture's own request log: the upstream never
// received the call. Approvals are in proxy-policy-approvals.test.ts.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CANARY, auditRecords, openSession, privateHome, runCli, textOf, waitForAudit } from '../proxy/policy-session.js';

const names = async (session: { client: { listTools(): Promise<{ tools: { name: string }[] }> } }) =>
  (await session.client.listTools()).tools.map((tool) => tool.name).sort();

describe('deny', () => {
  it('answers a denied call itself with the policy reason; the upstream never receives it', async () => {
    const session = await openSession({
      policy: `version: 1
servers:
  notes:
    rules:
      - tool: delete_note
        action: deny
        reason: deleting notes is not allowed here
`,
    });
    const denied = await session.client.callTool({ name: 'delete_note', arguments: { id: '1' } });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toContain('deleting notes is not allowed here');
    expect(session.calls('delete_note')).toBe(0);
    // The rule names one tool: the others still run.
    const listed = await session.client.callTool({ name: 'list_notes', arguments: {} });
    expect(listed.isError).toBeFalsy();
    expect(session.calls('list_notes')).toBe(1);
    // Denied whatever the arguments: not offered to the model at all.
    expect(await names(session)).toEqual(['add_note', 'list_notes']);
    await session.close();
  });

  it('allows by argument match and denies the same tool otherwise', async () => {
    const session = await openSession({
      policy: `version: 1
servers:
  notes:
    rules:
      - tool: add_note
        match:
          text: "^safe:"
        action: allow
      - tool: add_note
        action: deny
`,
    });
    const allowed = await session.client.callTool({ name: 'add_note', arguments: { text: 'safe: buy bread' } });
    expect(allowed.isError).toBeFalsy();
    expect(textOf(allowed)).toMatch(/^saved note/);
    const denied = await session.client.callTool({ name: 'add_note', arguments: { text: 'rm -rf /' } });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toMatch(/mcp-guard blocked this call by policy/);
    const missing = await session.client.callTool({ name: 'add_note', arguments: {} });
    expect(missing.isError).toBe(true);
    const received = session.calls('add_note');
    expect(received).toBe(1);
    // A conditional allow keeps the tool listed.
    expect(await names(session)).toContain('add_note');
    await session.close();
  });

  it('denies by default when the policy says default: deny, and hides what it can never allow', async () => {
    const session = await openSession({
      policy: `version: 1
default: deny
servers:
  notes:
    rules:
      - tool: list_notes
        action: allow
`,
    });
    expect(await names(session)).toEqual(['list_notes']);
    const denied = await session.client.callTool({ name: 'add_note', arguments: { text: 'x' } });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toContain('denied by the policy default');
    expect(session.calls('add_note')).toBe(0);
    expect((await session.client.callTool({ name: 'list_notes', arguments: {} })).isError).toBeFalsy();
    await session.close();
  });

  it('read-only preset: write tools are hidden and denied, reads run', async () => {
    const session = await openSession({
      policy: `version: 1
servers:
  notes:
    preset: read-only
`,
    });
    expect(await names(session)).toEqual(['list_notes']);
    for (const [name, args] of [
      ['add_note', { text: 'x' }],
      ['delete_note', { id: '1' }],
    ] as const) {
      const denied = await session.client.callTool({ name, arguments: args });
      expect(denied.isError).toBe(true);
      expect(textOf(denied)).toContain('read-only');
    }
    expect(session.calls('add_note') + session.calls('delete_note')).toBe(0);
    expect((await session.client.callTool({ name: 'list_notes', arguments: {} })).isError).toBeFalsy();
    expect(session.calls('list_notes')).toBe(1);
    await session.close();
  });

  it('rate limit: calls over the limit are denied with a reason, not forwarded', async () => {
    const session = await openSession({
      policy: `version: 1
servers:
  notes:
    rules:
      - tool: list_notes
        action: allow
        rate: 2/hour
`,
    });
    expect((await session.client.callTool({ name: 'list_notes', arguments: {} })).isError).toBeFalsy();
    expect((await session.client.callTool({ name: 'list_notes', arguments: {} })).isError).toBeFalsy();
    const third = await session.client.callTool({ name: 'list_notes', arguments: {} });
    expect(third.isError).toBe(true);
    expect(textOf(third)).toMatch(/rate limit 2\/hour reached for this tool; try again in \d+ s/);
    expect(session.calls('list_notes')).toBe(2);
    await session.close();
  });

  it('the user policy applies too and a project policy cannot loosen it', async () => {
    const home = privateHome();
    const userPolicy = join(home.env['XDG_CONFIG_HOME']!, 'mcp-guard');
    mkdirSync(userPolicy, { recursive: true });
    writeFileSync(join(userPolicy, 'policy.yaml'), 'version: 1\nservers:\n  notes:\n    rules:\n      - tool: add_note\n        action: deny\n        reason: the user forbids adding notes\n');
    const session = await openSession({
      home,
      policy: 'version: 1\nservers:\n  notes:\n    rules:\n      - tool: add_note\n        action: allow\n',
    });
    const denied = await session.client.callTool({ name: 'add_note', arguments: { text: 'x' } });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toContain('the user forbids adding notes');
    expect(session.calls('add_note')).toBe(0);
    await session.close();
  });
});

describe('a policy that does not load', () => {
  it('refuses the session (initialize fails) naming the file and line, and starts no server', async () => {
    const home = privateHome();
    const attempt = openSession({
      home,
      policy: 'version: 1\nservers:\n  notes:\n    rules:\n      - tool: add_note\n        action: maybe\n',
    });
    const error = await attempt.then(
      () => undefined,
      (failure: unknown) => failure as Error,
    );
    expect(error?.message).toMatch(/policy\.yaml:6/);
    expect(error?.message).toMatch(/refused this session/);
    const log = join(home.root, 'upstream.log');
    expect(existsSync(log)).toBe(false);
  });
});

describe('log and the audit log', () => {
  it('forwards `log` calls, records one entry per decision, and the log verifies; the canary never appears', async () => {
    const session = await openSession({
      policy: `version: 1
servers:
  notes:
    rules:
      - tool: add_note
        action: log
      - tool: delete_note
        action: deny
        reason: no deleting
`,
    });
    const logged = await session.client.callTool({ name: 'add_note', arguments: { text: `token ${CANARY}` } });
    expect(logged.isError).toBeFalsy();
    expect(session.calls('add_note')).toBe(1);
    const denied = await session.client.callTool({ name: 'delete_note', arguments: { id: CANARY } });
    expect(denied.isError).toBe(true);
    expect(session.calls('delete_note')).toBe(0);
    expect((await session.client.callTool({ name: 'list_notes', arguments: {} })).isError).toBeFalsy();
    // Not in the lock: a lock denial, recorded as such.
    expect((await session.client.callTool({ name: 'exfiltrate', arguments: {} })).isError).toBe(true);
    await session.close();

    const records = await waitForAudit(session.audit, 4);
    const summary = records.map((r) => [r['tool'], r['decision'], r['source']]);
    expect(summary).toEqual([
      ['add_note', 'log', 'rule'],
      ['delete_note', 'deny', 'rule'],
      ['list_notes', 'allow', 'default'],
      ['exfiltrate', 'deny', 'lock'],
    ]);
    const [addRecord, deleteRecord] = records;
    expect(addRecord!['lockDigest']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(addRecord!['args']).toMatchObject({ hash: expect.stringMatching(/^hmac-sha256:/), shape: { text: 'string' } });
    expect(addRecord!['args']).not.toHaveProperty('values');
    expect(deleteRecord!['reason']).toBe('no deleting');
    expect(deleteRecord!['rule']).toMatchObject({ index: 1, line: 7 });
    expect(JSON.stringify(records)).not.toContain('C4nary7');

    const verify = await runCli(['audit', 'verify', session.audit], session.home.env);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it('--audit-values records values redacted: the canary still never appears', async () => {
    const session = await openSession({ flags: ['--audit-values'], policy: 'version: 1\n' });
    expect((await session.client.callTool({ name: 'add_note', arguments: { text: `token ${CANARY}` } })).isError).toBeFalsy();
    await session.close();
    const [record] = await waitForAudit(session.audit, 1);
    expect(record!['args']).toMatchObject({ values: { text: 'token [REDACTED]' } });
    expect(JSON.stringify(auditRecords(session.audit))).not.toContain('C4nary7');
    const verify = await runCli(['audit', 'verify', session.audit], session.home.env);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it('records lock-only sessions too (no --policy): allow and drift denials', async () => {
    const session = await openSession();
    expect((await session.client.callTool({ name: 'list_notes', arguments: {} })).isError).toBeFalsy();
    expect((await session.client.callTool({ name: 'not_locked', arguments: {} })).isError).toBe(true);
    await session.close();
    const records = await waitForAudit(session.audit, 2);
    expect(records.map((r) => [r['tool'], r['decision'], r['source']])).toEqual([
      ['list_notes', 'allow', 'lock'],
      ['not_locked', 'deny', 'lock'],
    ]);
  });
});
