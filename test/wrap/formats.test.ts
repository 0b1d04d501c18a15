import { mkdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePointer } from '../../src/wrap/pointer.js';
import { recogniseProxyLaunch } from '../../src/wrap/launch.js';
import { headerKeys } from '../../src/wrap/toml-entry.js';
import { isEditableLocation } from '../../src/wrap/editable.js';
import { run, workspace } from './helpers.js';

describe('parsePointer', () => {
  it.each([
    ['mcpServers.notes', ['mcpServers', 'notes']],
    ['projects["/home/me/app"].mcpServers.notes', ['projects', '/home/me/app', 'mcpServers', 'notes']],
    ['["mcp.servers"].x', ['mcp.servers', 'x']],
    ['mcpServers["my server"]', ['mcpServers', 'my server']],
    ['list[0].a', ['list', 0, 'a']],
  ])('%s', (pointer, path) => {
    expect(parsePointer(pointer)).toEqual(path);
  });
});

describe('headerKeys', () => {
  it.each([
    ['[mcp_servers.notes]', ['mcp_servers', 'notes']],
    ['[mcp_servers."my server"] # comment', ['mcp_servers', 'my server']],
    ["[ mcp_servers . 'lit' ]", ['mcp_servers', 'lit']],
    ['[[array_of_tables]]', undefined],
    ['key = "[not a header]"', undefined],
  ])('%s', (line, keys) => {
    expect(headerKeys(line)).toEqual(keys);
  });
});

describe('recogniseProxyLaunch', () => {
  it('finds the original command after -- and ignores look-alikes', () => {
    expect(recogniseProxyLaunch({ command: '/n', args: ['/x/mcp-guard.js', 'proxy', '--lock', 'l', '--name', 'a', '--', 'npx', '-y', 'p'] })).toEqual({
      name: 'a',
      original: { command: 'npx', args: ['-y', 'p'] },
      form: 'wrap',
    });
    expect(recogniseProxyLaunch({ command: '/usr/local/bin/mcp-guard', args: ['proxy', '--lock', 'l', '--', 'srv'] })).toEqual({
      original: { command: 'srv', args: [] },
      form: 'by-hand',
    });
    expect(recogniseProxyLaunch({ command: 'npx', args: ['-y', 'mcp-guard', 'proxy', '--', 'x'] })).toBeUndefined();
    expect(recogniseProxyLaunch({ command: '/n', args: ['/x/mcp-guard.js', 'scan', '--', 'x'] })).toBeUndefined();
    expect(recogniseProxyLaunch({ command: '/n', args: ['/x/mcp-guard.js', 'proxy', '--lock', 'l'] })).toBeUndefined();
  });
});

async function roundTrip(relative: string, text: string) {
  const { dir, env } = await workspace();
  const config = join(dir, relative);
  await mkdir(join(config, '..'), { recursive: true });
  await writeFile(config, text);
  const wrap = await run('wrap', ['--config', config, '--lock', join(dir, 'mcp.lock')], dir, env);
  const wrapped = await readFile(config, 'utf8');
  const unwrap = await run('unwrap', ['--config', config], dir, env);
  return { wrap, wrapped, unwrap, restored: await readFile(config, 'utf8'), dir, env, config };
}

describe('round trips on awkward files', () => {
  it('CRLF line ends and a BOM survive', async () => {
    const text = '\ufeff{\r\n  "mcpServers": {\r\n    "notes": { "command": "npx", "args": ["-y", "pkg"] }\r\n  }\r\n}\r\n';
    const result = await roundTrip('.cursor/mcp.json', text);
    expect(result.wrap.stdout).toMatch(/wrapped\s+notes/);
    expect(result.wrapped.startsWith('\ufeff{\r\n')).toBe(true);
    expect(result.wrapped).not.toMatch(/[^\r]\n/);
    expect(result.restored).toBe(text);
  });

  it('Claude Code ~/.claude.json project entries', async () => {
    const text = `${JSON.stringify(
      { numStartups: 3, projects: { '/home/me/app': { mcpServers: { memory: { type: 'stdio', command: 'npx', args: ['-y', 'm'], env: {} } }, allowedTools: [] } } },
      null,
      2,
    )}\n`;
    const result = await roundTrip('home/.claude.json', text);
    expect(result.wrap.stdout).toMatch(/wrapped\s+memory/);
    expect(JSON.parse(result.wrapped).projects['/home/me/app'].mcpServers.memory.args).toContain('proxy');
    expect(result.restored).toBe(text);
  });

  it('VS Code settings.json with a dotted "mcp.servers" key', async () => {
    const text = '{\n  "editor.fontSize": 14,\n  "mcp.servers": {\n    "git": { "command": "uvx", "args": ["mcp-server-git"] }\n  }\n}\n';
    const result = await roundTrip('Code/User/settings.json', text);
    expect(result.wrap.stdout).toMatch(/wrapped\s+git/);
    expect(result.restored).toBe(text);
  });

  it('an entry without args gains them and loses them again', async () => {
    const text = '{\n  "mcpServers": {\n    "notes": {\n      "command": "/opt/notes-server"\n    }\n  }\n}\n';
    const result = await roundTrip('claude_desktop_config.json', text);
    expect(JSON.parse(result.wrapped).mcpServers.notes.args.slice(-2)).toEqual(['--', '/opt/notes-server']);
    expect(result.restored).toBe(text);
  });

  it('writes through a symlinked config instead of replacing the link', async () => {
    const { dir, env } = await workspace();
    const real = join(dir, 'dotfiles', 'claude_desktop_config.json');
    await mkdir(join(dir, 'dotfiles'));
    await writeFile(real, await readFile(join(dir, 'claude-desktop/claude_desktop_config.json'), 'utf8'));
    const link = join(dir, 'claude_desktop_config.json');
    await symlink(real, link);
    await run('wrap', ['--config', link, '--lock', 'mcp.lock'], dir, env);
    expect(await realpath(link)).toBe(real);
    expect(await readFile(real, 'utf8')).toContain('"proxy"');
  });
});

describe('entries already behind mcp-guard', () => {
  it('leaves a hand-written proxy launch as it is', async () => {
    const text = '{\n  "mcpServers": {\n    "notes": { "command": "mcp-guard", "args": ["proxy", "--learn", "--", "npx", "-y", "pkg"] }\n  }\n}\n';
    const result = await roundTrip('claude_desktop_config.json', text);
    expect(result.wrap.stdout).toMatch(/already-wrapped\s+notes: already launched through mcp-guard proxy with other settings/);
    expect(result.wrapped).toBe(text);
    expect(result.unwrap.stdout).toMatch(/not-wrapped\s+notes: launched through mcp-guard proxy by hand/);
    expect(result.restored).toBe(text);
  });
});

describe('--client', () => {
  it('wraps the project-scope file found under cwd', async () => {
    const { dir, env } = await workspace();
    const project = join(dir, 'proj');
    await mkdir(project);
    const text = '{ "mcpServers": { "memory": { "command": "npx", "args": ["-y", "m"] } } }\n';
    await writeFile(join(project, '.mcp.json'), text);
    const result = await run('wrap', ['--client', 'claude-code', '--lock', join(dir, 'mcp.lock')], project, env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${join(project, '.mcp.json')} (claude-code)`);
    expect(result.stdout).toMatch(/wrapped\s+memory/);
  });

  it('only edits files the user owns: not managed files, not plugin-provided ones', () => {
    expect(isEditableLocation({ path: '/etc/claude-code/managed-mcp.json', scope: 'managed' })).toBe(false);
    expect(isEditableLocation({ path: '/p/.mcp.json', scope: 'user', variables: { CLAUDE_PLUGIN_ROOT: '/p' } })).toBe(false);
    expect(isEditableLocation({ path: '/home/me/.claude.json', scope: 'user' })).toBe(true);
    expect(isEditableLocation({ path: '/w/.mcp.json', scope: 'project', workspaceFolder: '/w' })).toBe(true);
  });
});
