import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfigFiles } from '../../src/clients/discover.js';
import { clientById } from '../../src/clients/registry.js';
import type { ClientId } from '../../src/model.js';
import { planUnwrap, planWrap } from '../../src/wrap/wrap-config.js';

// wrap / unwrap on the fixture config of EVERY client discovery supports (the Linux tree holds one per
// client and scope): entries are wrapped (or skipped with a reason), env stays, wrapping twice changes
// nothing, and unwrap restores the file byte for byte.
const TREE = new URL('../../fixtures/configs/all-clients-linux/', import.meta.url).pathname;
const FILES = [
  'home/.config/Claude/claude_desktop_config.json',
  'home/.claude.json',
  'project/.mcp.json',
  'system/etc/claude-code/managed-mcp.json',
  'home/.cursor/mcp.json',
  'project/.cursor/mcp.json',
  'home/.config/Code/User/mcp.json',
  'home/.config/Code/User/settings.json',
  'project/.vscode/mcp.json',
  'home/.copilot/mcp-config.json',
  'home/.codeium/windsurf/mcp_config.json',
  'project/.windsurf/mcp.json',
  'home/.gemini/settings.json',
  'project/.gemini/settings.json',
  'home/.codex/config.toml',
  'home/.kiro/settings/mcp.json',
  'project/.kiro/settings/mcp.json',
  'home/.aws/amazonq/mcp.json',
  'home/.config/opencode/opencode.json',
  'project/opencode.json',
  'home/.config/zed/settings.json',
  'home/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
];
const SETTINGS = { node: '/usr/bin/node', bin: '/opt/mcp-guard/bin/mcp-guard.js', lock: '/repo/mcp.lock' };
const ENV = { platform: 'linux' as const, home: join(TREE, 'home'), cwd: join(TREE, 'project'), env: {} };

describe.each(FILES)('wrap / unwrap %s', (relative) => {
  it('wraps every stdio entry, is idempotent and unwraps byte for byte', async () => {
    const file = join(TREE, relative);
    const text = readFileSync(file, 'utf8');
    const { files } = await readConfigFiles([file], ENV);
    const client = files[0]!.client as ClientId;
    const parsed = clientById(client).parse(text, file);
    const stdio = parsed.filter((server) => server.transport === 'stdio').map((server) => server.name);
    const options = { settings: SETTINGS, lockedServers: new Set(parsed.map((server) => server.name)) };

    const wrapped = planWrap(text, file, client, { version: 1, file, entries: {} }, options);
    for (const name of stdio) {
      const outcome = wrapped.outcomes.find((candidate) => candidate.name === name);
      expect(['wrapped', 'skipped'], `${name}: ${JSON.stringify(outcome)}`).toContain(outcome?.status);
    }
    const wrappedNames = wrapped.outcomes.filter((outcome) => outcome.status === 'wrapped').map((outcome) => outcome.name);
    expect(wrappedNames.length).toBeGreaterThan(0);
    const after = clientById(client).parse(wrapped.after, file);
    for (const name of wrappedNames) {
      const server = after.find((candidate) => candidate.name === name)!;
      const was = parsed.find((candidate) => candidate.name === name)!;
      expect(server.args?.slice(0, 2)).toEqual([SETTINGS.bin, 'proxy']);
      // A stdio entry keeps its env as it was; a remote one gains only the variables carrying its headers.
      if (was.transport === 'stdio') expect(server.env).toEqual(was.env);
      else for (const key of Object.keys(server.env ?? {})) expect(key in (was.env ?? {}) || key.startsWith('MCP_GUARD_HEADER_')).toBe(true);
    }

    const again = planWrap(wrapped.after, file, client, wrapped.sidecar, options);
    expect(again.after).toBe(wrapped.after);

    const restored = planUnwrap(wrapped.after, file, client, wrapped.sidecar);
    expect(restored.after).toBe(text);
  });
});
