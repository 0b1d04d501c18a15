import { readFile, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientById } from '../../src/clients/registry.js';
import type { ClientId } from '../../src/model.js';
import { installedProxyPaths } from '../../src/wrap/launch.js';
import { run, workspace } from './helpers.js';

const { node, bin } = installedProxyPaths();

interface Case {
  name: string;
  file: string;
  client: ClientId;
  wrapped: string[];
  skipped: string[];
}

const CASES: Case[] = [
  { name: 'Claude Desktop JSON', file: 'claude-desktop/claude_desktop_config.json', client: 'claude-desktop', wrapped: ['notes', 'memory'], skipped: ['remote', 'unlocked'] },
  { name: 'VS Code JSONC with comments, inputs and placeholders', file: 'vscode/.vscode/mcp.json', client: 'vscode', wrapped: ['git', 'everything'], skipped: ['remote'] },
  { name: 'Codex TOML', file: 'codex/config.toml', client: 'codex', wrapped: ['notes', 'memory'], skipped: ['remote'] },
  { name: 'Zed settings (flat and nested commands)', file: 'zed/settings.json', client: 'zed', wrapped: ['filesystem', 'memory'], skipped: [] },
  { name: 'OpenCode (command arrays)', file: 'opencode/opencode.json', client: 'opencode', wrapped: ['everything'], skipped: ['remote'] },
  { name: 'Cursor (whole command line in "command")', file: 'cursor/.cursor/mcp.json', client: 'cursor', wrapped: ['memory'], skipped: [] },
];

describe.each(CASES)('wrap / unwrap: $name', ({ file, client, wrapped, skipped }) => {
  it('wraps the locked stdio servers, is idempotent, and unwrap restores the file byte for byte', async () => {
    const { dir, env } = await workspace();
    const config = join(dir, file);
    const original = await readFile(config, 'utf8');
    const before = clientById(client).parse(original, config);

    const first = await run('wrap', ['--config', file, '--lock', 'mcp.lock'], dir, env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    for (const name of wrapped) expect(first.stdout).toMatch(new RegExp(`wrapped\\s+${name}\\n`));
    for (const name of skipped) expect(first.stdout).toMatch(new RegExp(`skipped\\s+${name}:`));

    const wrappedText = await readFile(config, 'utf8');
    const after = clientById(client).parse(wrappedText, config);
    const lock = await realpath(join(dir, 'mcp.lock'));
    for (const server of after) {
      const was = before.find((candidate) => candidate.name === server.name)!;
      if (wrapped.includes(server.name)) {
        expect(server.command).toBe(node);
        expect(server.args).toEqual([bin, 'proxy', '--lock', lock, '--name', server.name, '--', was.command, ...(was.args ?? [])]);
        // env, cwd and everything else the client passes stay as they were.
        expect({ ...server, command: undefined, args: undefined }).toEqual({ ...was, command: undefined, args: undefined });
      } else {
        expect(server).toEqual(was);
      }
    }

    const second = await run('wrap', ['--config', file, '--lock', 'mcp.lock'], dir, env);
    expect(second.code).toBe(0);
    for (const name of wrapped) expect(second.stdout).toMatch(new RegExp(`already-wrapped\\s+${name}\\n`));
    expect(second.stdout).not.toMatch(/backup:/);
    expect(await readFile(config, 'utf8')).toBe(wrappedText);

    const undo = await run('unwrap', ['--config', file], dir, env);
    expect(undo.code).toBe(0);
    for (const name of wrapped) expect(undo.stdout).toMatch(new RegExp(`unwrapped\\s+${name}\\n`));
    expect(await readFile(config, 'utf8')).toBe(original);
  });
});

describe('wrap details', () => {
  it('keeps the VS Code comments, inputs and ${input:…} placeholders and touches nothing outside the entries', async () => {
    const { dir, env } = await workspace();
    const config = join(dir, 'vscode/.vscode/mcp.json');
    const original = await readFile(config, 'utf8');
    await run('wrap', ['--config', config, '--lock', 'mcp.lock'], dir, env);
    const text = await readFile(config, 'utf8');
    for (const kept of ['// Workspace MCP servers', '/* the git server reads this repository */', '"password": true,', '"GITHUB_TOKEN": "${input:github-token}"', '"${workspaceFolder}"', '"envFile": "${workspaceFolder}/.env"', '"remote": { "type": "http", "url": "https://example.com/mcp" },']) {
      expect(text).toContain(kept);
    }
    // Everything before the first wrapped entry is identical, tabs included.
    const firstEntry = original.indexOf('"git": {') + '"git": '.length;
    expect(text.slice(0, firstEntry)).toBe(original.slice(0, firstEntry));
  });

  it('passes --policy through as an absolute path, and re-wrapping with new settings updates the launch only', async () => {
    const { dir, env } = await workspace();
    await writeFile(join(dir, 'policy.yaml'), 'version: 1\ndefault: allow\n');
    const config = join(dir, 'claude-desktop/claude_desktop_config.json');
    const original = await readFile(config, 'utf8');
    await run('wrap', ['--config', config, '--lock', 'mcp.lock'], dir, env);
    const updated = await run('wrap', ['--config', config, '--lock', 'mcp.lock', '--policy', 'policy.yaml', '--server', 'notes'], dir, env);
    expect(updated.stdout).toMatch(/updated\s+notes\n/);
    const notes = JSON.parse(await readFile(config, 'utf8')).mcpServers.notes;
    expect(notes.args.slice(1, 8)).toEqual(['proxy', '--lock', await realpath(join(dir, 'mcp.lock')), '--policy', join(dir, 'policy.yaml'), '--name', 'notes']);
    expect(notes.args.slice(9)).toEqual(['npx', '-y', '@example/notes-server@1.2.3', '--root', '/home/me/notes']);
    await run('unwrap', ['--config', config], dir, env);
    expect(await readFile(config, 'utf8')).toBe(original);
  });

  it('--dry-run prints the diff and writes nothing (neither the config nor the wrap record)', async () => {
    const { dir, env } = await workspace();
    const config = join(dir, 'codex/config.toml');
    const original = await readFile(config, 'utf8');
    const result = await run('wrap', ['--config', config, '--lock', 'mcp.lock', '--dry-run'], dir, env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('-command = "npx"');
    expect(result.stdout).toContain(`+command = ${JSON.stringify(node)}`);
    expect(result.stdout).toContain('(dry run: nothing written)');
    expect(await readFile(config, 'utf8')).toBe(original);
    const undo = await run('unwrap', ['--config', config], dir, env);
    expect(undo.stdout).toContain('nothing to unwrap');
  });

  it('writes a backup of the file as it was and keeps the file mode', async () => {
    const { dir, env } = await workspace();
    const config = join(dir, 'claude-desktop/claude_desktop_config.json');
    const { chmod, stat } = await import('node:fs/promises');
    await chmod(config, 0o600);
    const original = await readFile(config, 'utf8');
    const result = await run('wrap', ['--config', config, '--lock', 'mcp.lock'], dir, env);
    expect(result.stdout).toContain(`backup: ${config}.mcp-guard-backup`);
    expect(await readFile(`${config}.mcp-guard-backup`, 'utf8')).toBe(original);
    expect((await stat(config)).mode & 0o777).toBe(0o600);
  });
});

describe('unwrap leaves later edits alone', () => {
  it('keeps unrelated edits made after wrap, and restores the wrapped entries exactly', async () => {
    const { dir, env } = await workspace();
    const config = join(dir, 'claude-desktop/claude_desktop_config.json');
    const original = await readFile(config, 'utf8');
    await run('wrap', ['--config', config, '--lock', 'mcp.lock'], dir, env);
    const edited = (await readFile(config, 'utf8')).replace('"globalShortcut": "Ctrl+Space"', '"globalShortcut": "Alt+Space"');
    await writeFile(config, edited);
    await run('unwrap', ['--config', config], dir, env);
    expect(await readFile(config, 'utf8')).toBe(original.replace('"globalShortcut": "Ctrl+Space"', '"globalShortcut": "Alt+Space"'));
  });

  it('restores only the launch of an entry the user changed after wrap, keeping the change', async () => {
    const { dir, env } = await workspace();
    const config = join(dir, 'claude-desktop/claude_desktop_config.json');
    await run('wrap', ['--config', config, '--lock', 'mcp.lock'], dir, env);
    const edited = (await readFile(config, 'utf8')).replace('"NOTES_TOKEN": "tok-123456"', '"NOTES_TOKEN": "tok-999999"');
    await writeFile(config, edited);
    const undo = await run('unwrap', ['--config', config], dir, env);
    expect(undo.stdout).toMatch(/restored-from-args\s+notes: the entry changed after wrap/);
    const notes = JSON.parse(await readFile(config, 'utf8')).mcpServers.notes;
    expect(notes).toEqual({ command: 'npx', args: ['-y', '@example/notes-server@1.2.3', '--root', '/home/me/notes'], env: { NOTES_TOKEN: 'tok-999999' } });
  });

  it('still unwraps when the wrap record is gone, from the command after --', async () => {
    const { dir, env } = await workspace();
    const config = join(dir, 'codex/config.toml');
    await run('wrap', ['--config', config, '--lock', 'mcp.lock'], dir, env);
    const undo = await run('unwrap', ['--config', config], dir, { ...env, XDG_STATE_HOME: join(dir, 'other-state') });
    expect(undo.stdout).toMatch(/restored-from-args\s+notes: no record/);
    const servers = clientById('codex').parse(await readFile(config, 'utf8'), config);
    expect(servers.find((server) => server.name === 'notes')).toMatchObject({ command: 'npx', args: ['-y', '@example/notes-server@1.2.3'] });
  });
});

describe('usage and errors', () => {
  it.each([
    [['--lock', 'mcp.lock'], /choose one of --client ID or --config FILE/],
    [['--client', 'vscode', '--config', 'x.json'], /choose one of/],
    [['--client', 'nope'], /unknown client "nope"/],
    [['--config', 'claude-desktop/claude_desktop_config.json', 'extra'], /Unexpected argument|usage/],
  ])('wrap %j exits 2', async (args, message) => {
    const { dir, env } = await workspace();
    const result = await run('wrap', args, dir, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('refuses to wrap without a lock, or with an invalid policy', async () => {
    const { dir, env } = await workspace();
    const noLock = await run('wrap', ['--config', 'claude-desktop/claude_desktop_config.json', '--lock', 'missing.lock'], dir, env);
    expect(noLock.code).toBe(2);
    expect(noLock.stderr).toMatch(/lock file not found/);
    await writeFile(join(dir, 'bad.yaml'), 'version: 1\ndefault: maybe\n');
    const badPolicy = await run('wrap', ['--config', 'claude-desktop/claude_desktop_config.json', '--lock', 'mcp.lock', '--policy', 'bad.yaml'], dir, env);
    expect(badPolicy.code).toBe(2);
    expect(badPolicy.stderr).toMatch(/bad\.yaml:2/);
  });

  it('finds a client’s files with --client (project scope under cwd)', async () => {
    const { dir, env } = await workspace();
    const result = await run('wrap', ['--client', 'vscode', '--lock', join(dir, 'mcp.lock')], join(dir, 'vscode'), env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/wrapped\s+git\n/);
    expect(result.stdout).toContain(join(dir, 'vscode/.vscode/mcp.json'));
  });
});
