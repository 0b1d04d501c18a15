import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { discoverServers, readConfigFiles } from '../../src/clients/discover.js';
import { clearRegisteredSecrets, redact } from '../../src/findings/redact.js';
import { fixture, treeEnv } from './helpers.js';

// Canaries chosen so that no built-in token pattern of redact() matches them: only registration
// by the config reader can make redact() mask them.
const CANARIES = [
  'CANARY-SECRET-ENV-1234', // env (Claude Desktop, Claude Code)
  'CANARY-SECRET-HEADER-5678', // Windsurf header value
  'CANARY-SECRET-TOML-9012', // Codex env table
  'CANARY-SECRET-OPENCODE-3456', // OpenCode `environment`
  'CANARY-SECRET-ZED-7890', // Zed nested command.env
  'CANARY-SECRET-CLINE-2468', // Cline env of a disabled server
  'CANARY-SECRET-ZEDEXT-1357', // settings of a Zed extension-provided server
];

beforeEach(() => {
  clearRegisteredSecrets();
});

describe('secrets read from configs are registered for redaction', () => {
  it('the canaries are not masked before anything is read', () => {
    for (const canary of CANARIES) expect(redact(`value ${canary} here`)).toBe(`value ${canary} here`);
  });

  it('masks every env and header value found by discovery', async () => {
    await discoverServers(treeEnv('all-clients-linux', 'linux'));
    for (const canary of CANARIES) expect(redact(`value ${canary} here`)).toBe('value [REDACTED] here');
  });

  it('masks values substituted from the environment and credential arguments', async () => {
    const fromEnv = 'CANARY-SECRET-SUBST-1122';
    const bearer = 'CANARY-SECRET-BEARER-3344';
    await readConfigFiles([fixture('vscode-jsonc', '.vscode', 'mcp.json'), fixture('codex-toml', 'config.toml')], {
      platform: 'linux',
      home: '/home/dev',
      cwd: fixture('vscode-jsonc'),
      env: { FILES_TOKEN: fromEnv, CODEX_BEARER: bearer },
    });
    expect(redact(fromEnv)).toBe('[REDACTED]');
    // Placeholders that stay unresolved are not secrets: reports must be able to name them.
    expect(redact('missing ${input:gh-token} and ${env:NOT_SET_ANYWHERE}')).toBe('missing ${input:gh-token} and ${env:NOT_SET_ANYWHERE}');
    expect(redact('Bearer scheme')).toBe('Bearer scheme');
    expect(redact(`token ${bearer}`)).toBe('token [REDACTED]');
    // `--api-key VALUE` in Codex args: the value after a credential-named flag.
    expect(redact('CANARY-SECRET-ARG-1357')).toBe('[REDACTED]');
    // Environment values nobody referenced are not registered.
    clearRegisteredSecrets();
    await readConfigFiles([fixture('codex-toml', 'config.toml')], {
      platform: 'linux',
      home: '/home/dev',
      cwd: fixture('codex-toml'),
      env: { UNRELATED: 'CANARY-UNUSED-5566' },
    });
    expect(redact('CANARY-UNUSED-5566')).toBe('CANARY-UNUSED-5566');
  });

  it('leaves evidently public env values alone unless the name says credential', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-guard-public-'));
    try {
      const file = join(dir, '.mcp.json');
      writeFileSync(
        file,
        JSON.stringify({
          mcpServers: {
            s: {
              command: 'node',
              env: {
                DEBUG: 'true',
                NODE_ENV: 'production',
                PORT: '8080',
                DATA_DIR: '/srv/data',
                BASE_URL: 'https://api.example.com/v1',
                API_KEY: 'staging',
                DB_URL: 'postgres://app:CANARY-PW-7788@db/app',
                OPAQUE: 'plainword',
              },
            },
          },
        }),
      );
      await readConfigFiles([file], { platform: 'linux', home: dir, cwd: dir, env: {} });
      for (const value of ['true', 'production', '8080', '/srv/data', 'https://api.example.com/v1']) {
        expect(redact(`x ${value} y`)).toBe(`x ${value} y`);
      }
      // A credential-named variable is registered whatever its value; anything else unknown is too.
      expect(redact('x staging y')).toBe('x [REDACTED] y');
      expect(redact('x plainword y')).toBe('x [REDACTED] y');
      expect(redact('CANARY-PW-7788')).toBe('[REDACTED]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
