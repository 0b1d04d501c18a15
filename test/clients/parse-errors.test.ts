import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverServers, readConfigFiles } from '../../src/clients/discover.js';
import type { DiscoveryEnv } from '../../src/clients/types.js';
import { GuardError } from '../../src/errors.js';
import { fixture } from './helpers.js';

const env: DiscoveryEnv = { platform: 'linux', home: fixture('formats'), cwd: fixture('formats'), env: {} };

async function errorOf(promise: Promise<unknown>): Promise<GuardError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GuardError)) throw new Error(`expected a GuardError, got ${String(error)}`);
  return error;
}

// Positions are 1-based and counted by hand from the fixture files.
const CASES = [
  { file: 'invalid-json/mcp.json', code: 'config-parse', line: 5, column: 7, message: /invalid JSON: comma expected/ },
  { file: 'invalid-json/servers-array.json', code: 'config-invalid', line: 2, column: 3, message: /"mcpServers" must be an object of servers, not an array/ },
  { file: 'invalid-json/no-launch.json', code: 'config-invalid', line: 4, column: 5, message: /server "empty" has neither a command nor a URL/ },
  { file: 'invalid-toml/config.toml', code: 'config-parse', line: 5, column: 2, message: /invalid TOML/ },
  { file: 'invalid-toml/wrong-shape.toml', code: 'config-invalid', line: 3, column: 1, message: /server "nocommand" has neither a command nor a URL/ },
] as const;

describe('files that exist but cannot be used are errors with a position', () => {
  it.each(CASES)('$file → $code at $line:$column', async ({ file, code, line, column, message }) => {
    const error = await errorOf(readConfigFiles([fixture(file)], env));
    expect(error.code).toBe(code);
    expect(error.location).toEqual({ file: fixture(file), line, column });
    expect(error.message).toMatch(message);
  });

  it('discovery stops on a broken client file instead of skipping it', async () => {
    const error = await errorOf(
      discoverServers({
        platform: 'linux',
        home: fixture('invalid-json', 'home'),
        cwd: fixture('invalid-json', 'no-project'),
        env: {},
        systemRoot: fixture('invalid-json', 'no-system'),
      }),
    );
    expect(error.code).toBe('config-parse');
    expect(error.location).toEqual({ file: fixture('invalid-json', 'home', '.cursor', 'mcp.json'), line: 5, column: 1 });
  });
});

describe('entry shapes that are refused', () => {
  const cases: Array<{ text: string; line: number; column: number; message: RegExp }> = [
    { text: '{"mcpServers": {"a": "npx pkg"}}', line: 1, column: 17, message: /server "a" must be an object, not a string/ },
    { text: '{"mcpServers": {"a": {"command": "x", "args": "one two"}}}', line: 1, column: 39, message: /"args" must be a list/ },
    { text: '{"mcpServers": {"a": {"command": "x", "args": ["ok", {"no": 1}]}}}', line: 1, column: 54, message: /"args\[1\]" must be a string/ },
    { text: '{"mcpServers": {"a": {"command": "x",\n "env": {"K": {"nested": true}}}}}', line: 2, column: 10, message: /"env.K" must be a string/ },
    { text: '{"mcpServers": {"a": {"type": "ws", "url": "wss://x"}}}', line: 1, column: 23, message: /unsupported type "ws"/ },
    { text: '{"mcpServers": {"a": {"type": "sse"}}}', line: 1, column: 17, message: /type "sse" but no URL/ },
    { text: '{"mcpServers": {"a": {"command": "npx \'unterminated"}}}', line: 1, column: 23, message: /unterminated single quote/ },
    { text: '[\n  {"command": "node"}\n]', line: 1, column: 1, message: /expected a JSON object at the top level, not an array/ },
  ];
  it.each(cases)('$message', async ({ text, line, column, message }) => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-guard-shape-'));
    try {
      const file = join(dir, 'mcp.json');
      writeFileSync(file, text);
      const error = await errorOf(readConfigFiles([file], { ...env, cwd: dir }));
      expect(error.code).toBe('config-invalid');
      expect(error.message).toMatch(message);
      expect(error.location).toEqual({ file, line, column });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('TOML shape errors point into the right table', () => {
  const toml = [
    '[mcp_servers.good]', //                    1
    'command = "node"', //                      2
    'args = ["a.js"]', //                       3
    '', //                                      4
    '[mcp_servers.bad]', //                     5
    'command = "node"', //                      6
    '  args = ["a.js", { x = 1 }]', //          7
    '', //                                      8
    '[mcp_servers.bad.env]', //                 9
    'TOKEN = 1', //                             10
  ].join('\n');
  it.each([
    { text: toml, line: 7, column: 3, message: /"args\[1\]" must be a string/ },
    { text: toml.replace('TOKEN = 1', 'TOKEN = [1]').replace('{ x = 1 }', '"b.js"'), line: 10, column: 1, message: /"env.TOKEN" must be a string/ },
    { text: 'mcp_servers = [1, 2]', line: 1, column: 1, message: /"mcp_servers" must be a table/ },
  ])('$message', async ({ text, line, column, message }) => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-guard-toml-'));
    try {
      const file = join(dir, 'config.toml');
      writeFileSync(file, text);
      const error = await errorOf(readConfigFiles([file], { ...env, cwd: dir }));
      expect(error.code).toBe('config-invalid');
      expect(error.message).toMatch(message);
      expect(error.location).toEqual({ file, line, column });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
