import { describe, expect, it } from 'vitest';
import { readConfigFiles } from '../../src/clients/discover.js';
import { resolvePlaceholders, type PlaceholderContext } from '../../src/clients/placeholders.js';
import { byName, fixture } from './helpers.js';

describe('VS Code JSONC with inputs and placeholders (vscode-jsonc)', () => {
  it('parses comments and trailing commas and resolves what can be known', async () => {
    const project = fixture('vscode-jsonc');
    const { files, servers } = await readConfigFiles([fixture('vscode-jsonc', '.vscode', 'mcp.json')], {
      platform: 'linux',
      home: '/home/dev',
      cwd: project,
      env: { FILES_TOKEN: 'CANARY-SECRET-ENV-4321' },
    });
    expect(files[0]).toMatchObject({ client: 'vscode', status: 'read', serverCount: 2 });
    expect(byName(servers, 'files')).toMatchObject({
      transport: 'stdio',
      command: 'node',
      args: [`${project}/server.js`, 'vscode-jsonc', '/home/dev/data'],
      env: { TOKEN: 'CANARY-SECRET-ENV-4321', MISSING: '${env:NOT_SET_ANYWHERE}' },
      unresolvedPlaceholders: ['${env:NOT_SET_ANYWHERE}'],
    });
    // ${input:…} is prompted by VS Code: kept as written and recorded.
    expect(byName(servers, 'github')).toMatchObject({
      transport: 'http',
      url: 'https://api.githubcopilot.com/mcp/',
      headers: { Authorization: 'Bearer ${input:gh-token}' },
      unresolvedPlaceholders: ['${input:gh-token}'],
    });
  });
});

describe('resolvePlaceholders', () => {
  const base: PlaceholderContext = {
    syntaxes: [],
    env: { TOKEN: 'tok-value', EMPTY: '' },
    userHome: '/home/u',
    pathSeparator: '/',
    workspaceFolder: '/work/app',
  };
  const cases: Array<{ syntax: PlaceholderContext['syntaxes']; input: string; value: string; unresolved: string[] }> = [
    { syntax: ['vscode'], input: '${env:TOKEN}/${env:NOPE}', value: 'tok-value/${env:NOPE}', unresolved: ['${env:NOPE}'] },
    { syntax: ['vscode'], input: '${workspaceFolder}${/}x ${workspaceFolderBasename}', value: '/work/app/x app', unresolved: [] },
    { syntax: ['vscode'], input: '${input:key} ${config:editor.x} ${TOKEN}', value: '${input:key} ${config:editor.x} ${TOKEN}', unresolved: ['${input:key}', '${config:editor.x}', '${TOKEN}'] },
    { syntax: ['vscode'], input: '$TOKEN {env:TOKEN}', value: '$TOKEN {env:TOKEN}', unresolved: [] },
    { syntax: ['shell-braced'], input: '${TOKEN}|${NOPE:-fallback}|${NOPE}|${EMPTY}|$TOKEN', value: 'tok-value|fallback|${NOPE}||$TOKEN', unresolved: ['${NOPE}'] },
    { syntax: ['shell'], input: 'Bearer $TOKEN ${TOKEN} $NOPE', value: 'Bearer tok-value tok-value $NOPE', unresolved: ['$NOPE'] },
    { syntax: ['opencode'], input: 'Bearer {env:TOKEN} {env:NOPE} {file:~/.key}', value: 'Bearer tok-value {env:NOPE} {file:~/.key}', unresolved: ['{env:NOPE}', '{file:~/.key}'] },
    { syntax: [], input: '${env:TOKEN} ${TOKEN}', value: '${env:TOKEN} ${TOKEN}', unresolved: [] },
  ];
  it.each(cases)('$syntax: $input', ({ syntax, input, value, unresolved }) => {
    const result = resolvePlaceholders(input, { ...base, syntaxes: syntax });
    expect(result.value).toBe(value);
    expect(result.unresolved).toEqual(unresolved);
  });

  it('location variables win over the environment and are not treated as secrets', () => {
    const result = resolvePlaceholders('${CLAUDE_PLUGIN_ROOT}/bin ${TOKEN}', {
      ...base,
      syntaxes: ['shell-braced'],
      env: { ...base.env, CLAUDE_PLUGIN_ROOT: '/wrong' },
      variables: { CLAUDE_PLUGIN_ROOT: '/plugins/p' },
    });
    expect(result.value).toBe('/plugins/p/bin tok-value');
    expect(result.substituted).toEqual(['tok-value']);
  });
});
