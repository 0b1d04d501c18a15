import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/policy/decide.js';
import { loadPolicySet, userPolicyPath } from '../../src/policy/policy-set.js';

describe('userPolicyPath', () => {
  it('honours an absolute XDG_CONFIG_HOME and ignores a relative one', () => {
    expect(userPolicyPath({ XDG_CONFIG_HOME: '/xdg' }, '/home/me')).toBe('/xdg/mcp-guard/policy.yaml');
    expect(userPolicyPath({ XDG_CONFIG_HOME: 'rel' }, '/home/me')).toBe('/home/me/.config/mcp-guard/policy.yaml');
    expect(userPolicyPath({}, '/home/me')).toBe('/home/me/.config/mcp-guard/policy.yaml');
  });
});

describe('loadPolicySet', () => {
  it('layers the user policy under the project policy; the stricter decision wins', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mcp-guard-home-'));
    await mkdir(join(home, '.config', 'mcp-guard'), { recursive: true });
    await writeFile(join(home, '.config', 'mcp-guard', 'policy.yaml'), 'version: 1\nservers:\n  s:\n    preset: read-only\n');
    const project = join(home, 'project.yaml');
    await writeFile(project, 'version: 1\nservers:\n  s:\n    rules:\n      - tool: "*"\n        action: allow\n');
    const set = await loadPolicySet({ env: {}, home, projectFile: project });
    expect(set.layers.map((layer) => layer.file)).toEqual([join(home, '.config', 'mcp-guard', 'policy.yaml'), project]);
    expect(decide(set, { server: 's', tool: 'delete_file', arguments: {}, now: 0 }).action).toBe('deny');
    expect(decide(set, { server: 's', tool: 'read_file', arguments: {}, now: 0 }).action).toBe('allow');
  });

  it('works without a user policy, and refuses an invalid one instead of skipping it', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mcp-guard-home-'));
    expect((await loadPolicySet({ env: {}, home })).layers).toEqual([]);
    const xdg = join(home, 'xdg');
    await mkdir(join(xdg, 'mcp-guard'), { recursive: true });
    await writeFile(join(xdg, 'mcp-guard', 'policy.yaml'), 'version: 1\ndefault: nope\n');
    await expect(loadPolicySet({ env: { XDG_CONFIG_HOME: xdg }, home })).rejects.toMatchObject({ code: 'policy-invalid', location: { line: 2 } });
  });
});
