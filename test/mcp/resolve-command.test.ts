import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeCmdMetaCharacters, quoteForCmd, resolveCommand } from '../../src/mcp/resolve-command.js';
import { tempDir } from './helpers.js';

function executable(dir: string, name: string, mode = 0o755): string {
  const file = path.join(dir, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, mode);
  return file;
}

describe.runIf(process.platform !== 'win32')('resolveCommand on POSIX', () => {
  it('finds the first executable match on PATH, skipping non-executable files and directories', () => {
    const root = tempDir();
    const [a, b, c] = ['a', 'b', 'c'].map((d) => path.join(root, d));
    for (const dir of [a, b, c]) mkdirSync(dir as string);
    executable(a as string, 'tool', 0o644);
    mkdirSync(path.join(b as string, 'tool'));
    const expected = executable(c as string, 'tool');
    const env = { PATH: [a, '', b, c].join(':') };
    expect(resolveCommand('tool', { env, cwd: root, platform: 'linux' })).toEqual({ file: expected, isWindowsBatch: false });
  });

  it('resolves paths with a separator against the cwd, not PATH', () => {
    const root = tempDir();
    const file = executable(root, 'server.sh');
    expect(resolveCommand('./server.sh', { env: { PATH: '' }, cwd: root, platform: 'linux' })?.file).toBe(file);
    expect(resolveCommand(file, { env: { PATH: '' }, cwd: '/', platform: 'linux' })?.file).toBe(file);
    expect(resolveCommand('server.sh', { env: { PATH: '' }, cwd: root, platform: 'linux' })).toBeUndefined();
  });

  it('returns undefined for a missing command', () => {
    expect(resolveCommand('definitely-not-a-command-xyz', { env: process.env, cwd: '/', platform: 'linux' })).toBeUndefined();
  });
});

describe('quoteForCmd', () => {
  it('quotes and caret-escapes cmd.exe metacharacters', () => {
    expect(quoteForCmd('plain', false)).toBe('^"plain^"');
    expect(quoteForCmd('a&b|c', false)).toBe('^"a^&b^|c^"');
    expect(quoteForCmd('say "hi"', false)).toBe('^"say^ \\^"hi\\^"^"');
    expect(quoteForCmd('dir\\', false)).toBe('^"dir\\\\^"');
  });

  it('caret-escapes the command path, spaces and brackets included', () => {
    expect(escapeCmdMetaCharacters('C:\\Program Files (x86)\\nodejs\\npx.cmd')).toBe('C:\\Program^ Files^ ^(x86^)\\nodejs\\npx.cmd');
    expect(quoteForCmd('a*b?[c]', false)).toBe('^"a^*b^?^[c^]^"');
  });

  it('escapes twice for batch files, which expand their arguments again', () => {
    expect(quoteForCmd('%PATH%', true)).toBe('^^^"^^^%PATH^^^%^^^"');
  });
});
