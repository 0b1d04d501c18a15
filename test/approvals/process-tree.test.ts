import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ancestorsOf, isLauncher } from '../../src/approvals/process-tree.js';
import { ApprovalStore } from '../../src/approvals/store.js';
import { ROOT, approvalsHome, runApprovalsCli, startWaiter } from './helpers.js';

describe('launchers between the client and the proxy', () => {
  it.each([
    [['/bin/sh', '-c', 'npx -y mcp-guard proxy'], true],
    [['-bash'], true],
    [['/usr/bin/node', '/usr/lib/node_modules/npm/bin/npx-cli.js', '-y', 'x'], true],
    [['node', '/usr/lib/node_modules/npm/bin/npm-cli.js', 'exec', 'x'], true],
    [['/home/u/.local/bin/uvx', 'mcp-server-x'], true],
    [['/usr/bin/node', '/home/u/.local/bin/claude'], false],
    [['/Applications/Claude.app/Contents/MacOS/Claude'], false],
    [['/usr/share/code/code', '--type=extensionHost'], false],
    [[], false],
  ])('%j → %s', (command, expected) => {
    expect(isLauncher(command)).toBe(expected);
  });

  it.runIf(process.platform === 'linux')('reads the real chain of parents', async () => {
    const chain = await ancestorsOf(process.pid);
    expect(chain[0]?.pid).toBe(process.ppid);
    expect(chain.every((info) => info.pid > 1)).toBe(true);
  });
});

describe.runIf(process.platform !== 'win32')('an approve from inside the MCP client', () => {
  it('is refused, while the same approve from a separate process tree goes through', async () => {
    const { root, env } = await approvalsHome();
    // The waiter (a proxy stand-in) is started by this test process, which plays the MCP client.
    const waiter = await startWaiter(env, ['write_file', '60000', 'client']);
    const exited = new Promise<number | null>((resolve) => waiter.child.on('exit', resolve));
    const store = new ApprovalStore({ env });
    const [pending] = await store.list();
    expect(pending?.clientPid).toBe(process.pid);

    // Like an assistant's shell tool: a child of the client.
    const inside = await runApprovalsCli(['approve', waiter.id], env);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toContain('from inside the MCP client');
    expect((await store.list()).map((request) => request.id)).toEqual([waiter.id]);

    // Like a user's other terminal: the shell exits at once, so the approver is re-parented away from us.
    const out = join(root, 'outside.log');
    const command = `"${process.execPath}" "${join(ROOT, 'bin/mcp-guard.js')}" approve ${waiter.id} > "${out}" 2>&1 &`;
    spawn('/bin/sh', ['-c', command], { cwd: ROOT, env: { PATH: process.env['PATH'], ...env }, stdio: 'ignore' });
    const code = await exited;
    expect(code, await readFile(out, 'utf8').catch(() => '')).toBe(0);
    expect(JSON.parse(waiter.lines()[1]!)).toEqual({ id: waiter.id, outcome: 'approved' });
  });

  it('may still deny: refusing a call needs no protection', async () => {
    const { env } = await approvalsHome();
    const waiter = await startWaiter(env, ['write_file', '60000', 'client']);
    const exited = new Promise<number | null>((resolve) => waiter.child.on('exit', resolve));
    const inside = await runApprovalsCli(['deny', waiter.id], env);
    expect(inside.code).toBe(0);
    expect(await exited).toBe(0);
    expect(JSON.parse(waiter.lines()[1]!)).toEqual({ id: waiter.id, outcome: 'denied' });
  });
});
