import { describe, expect, it } from 'vitest';
import type { PackageRef, ServerEntry } from '../../src/model.js';
import { formatCommandLine, parseLaunch, parseLaunchDetailed, pinnedArgv } from '../../src/supply/launch.js';

function entry(command: string, args: string[] = [], env?: Record<string, string>): ServerEntry {
  const e: ServerEntry = { name: 't', transport: 'stdio', command, args, sources: [] };
  if (env) e.env = env;
  return e;
}

type Case = [label: string, command: string, args: string[], expected: PackageRef, env?: Record<string, string>];

const cases: Case[] = [
  // npx
  ['npx bare', 'npx', ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], { ecosystem: 'npm', launcher: 'npx', name: '@modelcontextprotocol/server-filesystem' }],
  ['npx exact', 'npx', ['-y', 'server-x@1.2.3'], { ecosystem: 'npm', launcher: 'npx', name: 'server-x', spec: '1.2.3', exactVersion: '1.2.3' }],
  ['npx --yes latest', 'npx', ['--yes', 'pkg@latest'], { ecosystem: 'npm', launcher: 'npx', name: 'pkg', spec: 'latest' }],
  ['npx scoped range', 'npx', ['-y', '@scope/pkg@^1'], { ecosystem: 'npm', launcher: 'npx', name: '@scope/pkg', spec: '^1' }],
  ['npx hostile registry', 'npx', ['-y', '--registry', 'http://evil', 'pkg'], { ecosystem: 'npm', launcher: 'npx', name: 'pkg', registry: 'http://evil' }],
  ['npx --registry=', 'npx', ['--registry=http://evil.example/', '-y', 'pkg@2.0.0'], { ecosystem: 'npm', launcher: 'npx', name: 'pkg', spec: '2.0.0', exactVersion: '2.0.0', registry: 'http://evil.example/' }],
  ['npx flags after package belong to the bin', 'npx', ['-y', 'pkg@1.0.0', '--registry', 'http://ignored', '-p', 'other'], { ecosystem: 'npm', launcher: 'npx', name: 'pkg', spec: '1.0.0', exactVersion: '1.0.0' }],
  ['npx --package with a different bin', 'npx', ['-y', '--package', '@acme/tools@3.1.0', 'acme-mcp', '--port', '1'], { ecosystem: 'npm', launcher: 'npx', name: '@acme/tools', spec: '3.1.0', exactVersion: '3.1.0' }],
  ['npx --package=', 'npx', ['--package=evil-pkg', '-y', 'innocent-bin'], { ecosystem: 'npm', launcher: 'npx', name: 'evil-pkg' }],
  ['npx -p', 'npx', ['-p', 'a@1.0.0', '-p', 'b', 'a-bin'], { ecosystem: 'npm', launcher: 'npx', name: 'a', spec: '1.0.0', exactVersion: '1.0.0' }],
  ['registry credentials are masked', 'npx', ['--registry', 'https://bob:s3cr3t@npm.corp.example/', 'pkg'], { ecosystem: 'npm', launcher: 'npx', name: 'pkg', registry: 'https://[REDACTED]@npm.corp.example/' }],
  ['npx registry from env', 'npx', ['-y', 'pkg'], { ecosystem: 'npm', launcher: 'npx', name: 'pkg', registry: 'https://npm.corp.example' }, { npm_config_registry: 'https://npm.corp.example' }],
  ['npx registry from upper-case env', 'npx', ['pkg'], { ecosystem: 'npm', launcher: 'npx', name: 'pkg', registry: 'http://x' }, { NPM_CONFIG_REGISTRY: 'http://x' }],
  ['npx github shorthand', 'npx', ['-y', 'someone/repo'], { ecosystem: 'unknown', launcher: 'npx', name: 'someone/repo' }],
  ['npx tarball url', 'npx', ['-y', 'https://example.com/x.tgz'], { ecosystem: 'unknown', launcher: 'npx', name: 'https://example.com/x.tgz' }],
  ['npx local dir', 'npx', ['./my-server'], { ecosystem: 'local', launcher: 'npx', path: './my-server' }],
  ['npx alias', 'npx', ['-y', 'npm:real-pkg@1.0.0'], { ecosystem: 'npm', launcher: 'npx', name: 'real-pkg', spec: '1.0.0', exactVersion: '1.0.0' }],
  ['npx value option', 'npx', ['--cache', '/tmp/c', '-y', 'pkg'], { ecosystem: 'npm', launcher: 'npx', name: 'pkg' }],
  ['npx.cmd shim', 'npx.cmd', ['-y', 'pkg@1.0.0'], { ecosystem: 'npm', launcher: 'npx', name: 'pkg', spec: '1.0.0', exactVersion: '1.0.0' }],
  ['npx.cmd full path', 'C:\\Program Files\\nodejs\\npx.cmd', ['-y', 'pkg'], { ecosystem: 'npm', launcher: 'npx', name: 'pkg' }],
  ['Windows path with spaces and arguments in command', 'C:\\Program Files\\nodejs\\npx.cmd -y pkg@1.0.0', [], { ecosystem: 'npm', launcher: 'npx', name: 'pkg', spec: '1.0.0', exactVersion: '1.0.0' }],
  ['quoted Windows path in command', '"C:\\Program Files\\nodejs\\npx.cmd" -y pkg', [], { ecosystem: 'npm', launcher: 'npx', name: 'pkg' }],
  ['cmd /c npx', 'cmd', ['/c', 'npx', '-y', 'pkg@2.1.0'], { ecosystem: 'npm', launcher: 'npx', name: 'pkg', spec: '2.1.0', exactVersion: '2.1.0' }],
  ['cmd.exe /d /c one string', 'cmd.exe', ['/d', '/c', 'npx -y @scope/x'], { ecosystem: 'npm', launcher: 'npx', name: '@scope/x' }],
  ['sh -c', 'sh', ['-c', 'npx -y "pkg@1.0.0"'], { ecosystem: 'npm', launcher: 'npx', name: 'pkg', spec: '1.0.0', exactVersion: '1.0.0' }],
  ['whole command line in command', 'npx -y pkg@1.0.0 --flag', [], { ecosystem: 'npm', launcher: 'npx', name: 'pkg', spec: '1.0.0', exactVersion: '1.0.0' }],
  ['env wrapper', 'env', ['FOO=1', 'npx', '-y', 'pkg'], { ecosystem: 'npm', launcher: 'npx', name: 'pkg' }],
  ['env wrapper sets the registry', 'env', ['npm_config_registry=http://evil', 'npx', '-y', 'pkg'], { ecosystem: 'npm', launcher: 'npx', name: 'pkg', registry: 'http://evil' }],
  ['python3.12 script', 'python3.12', ['server.py'], { ecosystem: 'local', launcher: 'python3.12', path: 'server.py' }],
  // npm exec and friends
  ['npm exec --', 'npm', ['exec', '--yes', '--', 'pkg@1.0.0', '--help'], { ecosystem: 'npm', launcher: 'npm exec', name: 'pkg', spec: '1.0.0', exactVersion: '1.0.0' }],
  ['npm x', 'npm', ['x', '-y', 'pkg'], { ecosystem: 'npm', launcher: 'npm exec', name: 'pkg' }],
  ['npm exec --package', 'npm', ['exec', '--package=@s/p@1.0.0', '--', 'p-bin'], { ecosystem: 'npm', launcher: 'npm exec', name: '@s/p', spec: '1.0.0', exactVersion: '1.0.0' }],
  ['npm global registry before exec', 'npm', ['--registry', 'http://evil', 'exec', '-y', 'pkg'], { ecosystem: 'npm', launcher: 'npm exec', name: 'pkg', registry: 'http://evil' }],
  ['npm run is local', 'npm', ['run', 'start'], { ecosystem: 'local', launcher: 'npm run' }],
  ['pnpm dlx', 'pnpm', ['dlx', 'pkg@1.0.0'], { ecosystem: 'npm', launcher: 'pnpm dlx', name: 'pkg', spec: '1.0.0', exactVersion: '1.0.0' }],
  ['pnpm --package dlx', 'pnpm', ['--package=real@1.0.0', 'dlx', 'bin'], { ecosystem: 'npm', launcher: 'pnpm dlx', name: 'real', spec: '1.0.0', exactVersion: '1.0.0' }],
  ['pnpx', 'pnpx', ['pkg'], { ecosystem: 'npm', launcher: 'pnpm dlx', name: 'pkg' }],
  ['yarn dlx', 'yarn', ['dlx', '-p', 'pkg@1.0.0', 'bin'], { ecosystem: 'npm', launcher: 'yarn dlx', name: 'pkg', spec: '1.0.0', exactVersion: '1.0.0' }],
  ['bunx', 'bunx', ['--bun', 'pkg@^2'], { ecosystem: 'npm', launcher: 'bunx', name: 'pkg', spec: '^2' }],
  ['bun x', 'bun', ['x', 'pkg'], { ecosystem: 'npm', launcher: 'bunx', name: 'pkg' }],
  ['deno npm:', 'deno', ['run', '-A', 'npm:pkg@1.0.0'], { ecosystem: 'npm', launcher: 'deno run', name: 'pkg', spec: '1.0.0', exactVersion: '1.0.0' }],
  ['deno jsr:', 'deno', ['run', '--allow-net', 'jsr:@std/x'], { ecosystem: 'unknown', launcher: 'deno run', name: 'jsr:@std/x' }],
  ['deno local', 'deno', ['run', '--allow-read', 'server.ts'], { ecosystem: 'local', launcher: 'deno run', path: 'server.ts' }],
  // Python
  ['uvx bare', 'uvx', ['mcp-server-fetch'], { ecosystem: 'pypi', launcher: 'uvx', name: 'mcp-server-fetch' }],
  ['uvx @ver', 'uvx', ['mcp-server-git@2025.1.14', '--repository', '.'], { ecosystem: 'pypi', launcher: 'uvx', name: 'mcp-server-git', spec: '2025.1.14', exactVersion: '2025.1.14' }],
  ['uvx ==ver', 'uvx', ['mcp-server-time==0.6.2'], { ecosystem: 'pypi', launcher: 'uvx', name: 'mcp-server-time', spec: '==0.6.2', exactVersion: '0.6.2' }],
  ['uvx >= range', 'uvx', ['pkg>=1.0'], { ecosystem: 'pypi', launcher: 'uvx', name: 'pkg', spec: '>=1.0' }],
  ['uvx @latest', 'uvx', ['pkg@latest'], { ecosystem: 'pypi', launcher: 'uvx', name: 'pkg', spec: 'latest' }],
  ['uvx --from', 'uvx', ['--from', 'awslabs.core-mcp-server==1.0.0', 'core-mcp'], { ecosystem: 'pypi', launcher: 'uvx', name: 'awslabs.core-mcp-server', spec: '==1.0.0', exactVersion: '1.0.0' }],
  ['uvx --from git', 'uvx', ['--from', 'git+https://github.com/x/y', 'y'], { ecosystem: 'unknown', launcher: 'uvx', name: 'git+https://github.com/x/y' }],
  ['uvx --index-url', 'uvx', ['--index-url', 'http://evil/simple', 'pkg==1.0'], { ecosystem: 'pypi', launcher: 'uvx', name: 'pkg', spec: '==1.0', exactVersion: '1.0', registry: 'http://evil/simple' }],
  ['uvx --python value', 'uvx', ['--python', '3.12', 'pkg'], { ecosystem: 'pypi', launcher: 'uvx', name: 'pkg' }],
  ['uvx index from env', 'uvx', ['pkg'], { ecosystem: 'pypi', launcher: 'uvx', name: 'pkg', registry: 'http://mirror' }, { UV_INDEX_URL: 'http://mirror' }],
  ['uv tool run', 'uv', ['tool', 'run', '--from', 'pkg[cli]==2.0', 'pkg'], { ecosystem: 'pypi', launcher: 'uv tool run', name: 'pkg', spec: '==2.0', exactVersion: '2.0' }],
  ['uv run is local', 'uv', ['--directory', '/srv/x', 'run', 'server.py'], { ecosystem: 'local', launcher: 'uv run', path: 'server.py' }],
  ['pipx run', 'pipx', ['run', 'pkg==1.2'], { ecosystem: 'pypi', launcher: 'pipx run', name: 'pkg', spec: '==1.2', exactVersion: '1.2' }],
  ['pipx run --spec', 'pipx', ['run', '--spec', 'real-pkg==3.0', 'app'], { ecosystem: 'pypi', launcher: 'pipx run', name: 'real-pkg', spec: '==3.0', exactVersion: '3.0' }],
  ['python script', 'python3', ['-u', 'server.py'], { ecosystem: 'local', launcher: 'python3', path: 'server.py' }],
  ['python -m', 'python', ['-m', 'mcp_server_x'], { ecosystem: 'local', launcher: 'python -m', name: 'mcp_server_x' }],
  // containers
  ['docker image', 'docker', ['run', '-i', '--rm', 'mcp/fetch'], { ecosystem: 'docker', launcher: 'docker run', name: 'mcp/fetch' }],
  ['docker tag', 'docker', ['run', '-i', '--rm', '-e', 'GITHUB_TOKEN', 'ghcr.io/github/github-mcp-server:v0.5.0'], { ecosystem: 'docker', launcher: 'docker run', name: 'ghcr.io/github/github-mcp-server', spec: 'v0.5.0' }],
  ['docker digest', 'docker', ['run', '-i', `mcp/x@sha256:${'a'.repeat(64)}`], { ecosystem: 'docker', launcher: 'docker run', name: 'mcp/x', digest: `sha256:${'a'.repeat(64)}`, exactVersion: `sha256:${'a'.repeat(64)}` }],
  ['docker value options', 'docker', ['run', '-v', 'a:b', '--name', 'n', '-e', 'X=1', '--network=host', '-it', 'img:1'], { ecosystem: 'docker', launcher: 'docker run', name: 'img', spec: '1' }],
  ['docker bundled -ie X', 'docker', ['run', '-ie', 'X', 'img'], { ecosystem: 'docker', launcher: 'docker run', name: 'img' }],
  ['docker attached -eX=1', 'docker', ['run', '-eX=1', 'img'], { ecosystem: 'docker', launcher: 'docker run', name: 'img' }],
  ['docker registry port', 'docker', ['run', 'localhost:5000/team/img:2'], { ecosystem: 'docker', launcher: 'docker run', name: 'localhost:5000/team/img', spec: '2' }],
  ['docker container run', 'docker', ['container', 'run', '--rm', 'img'], { ecosystem: 'docker', launcher: 'docker run', name: 'img' }],
  ['podman', 'podman', ['run', '--rm', '-i', 'quay.io/x/y:latest'], { ecosystem: 'docker', launcher: 'podman run', name: 'quay.io/x/y', spec: 'latest' }],
  // node and direct
  ['node script', 'node', ['--enable-source-maps', '/srv/server/dist/index.js'], { ecosystem: 'local', launcher: 'node', path: '/srv/server/dist/index.js' }],
  ['node -r value', 'node', ['-r', 'dotenv/config', 'index.js'], { ecosystem: 'local', launcher: 'node', path: 'index.js' }],
  ['node -e', 'node', ['-e', 'require("x")'], { ecosystem: 'unknown', launcher: 'node -e' }],
  ['absolute binary', '/usr/local/bin/mcp-server', [], { ecosystem: 'local', launcher: 'executable', path: '/usr/local/bin/mcp-server' }],
  ['bare binary on PATH', 'github-mcp-server', ['stdio'], { ecosystem: 'unknown', launcher: 'github-mcp-server', name: 'github-mcp-server' }],
];

describe('parseLaunch', () => {
  it.each(cases)('%s', (_label, command, args, expected, env) => {
    expect(parseLaunch(entry(command, args, env))).toEqual(expected);
  });

  it('treats a remote server as having no package', () => {
    expect(parseLaunch({ name: 'r', transport: 'http', url: 'https://x', sources: [] })).toEqual({ ecosystem: 'unknown', launcher: 'remote' });
  });
});

describe('pinnedArgv', () => {
  it('pins npx, keeping -y and the bin arguments', () => {
    const parsed = parseLaunchDetailed(entry('npx', ['-y', '@scope/pkg@^1', '--port', '3']));
    expect(formatCommandLine(pinnedArgv(parsed, '1.4.2') ?? [])).toBe('npx -y @scope/pkg@1.4.2 --port 3');
  });
  it('adds -y to npx so the client does not hang on a prompt', () => {
    const parsed = parseLaunchDetailed(entry('npx', ['pkg']));
    expect(pinnedArgv(parsed, '2.0.0')).toEqual(['npx', '-y', 'pkg@2.0.0']);
  });
  it('pins --package= in place', () => {
    const parsed = parseLaunchDetailed(entry('npx', ['--package=tools', '-y', 'bin']));
    expect(pinnedArgv(parsed, '3.0.0')).toEqual(['npx', '--package=tools@3.0.0', '-y', 'bin']);
  });
  it('pins uvx with ==', () => {
    const parsed = parseLaunchDetailed(entry('uvx', ['mcp-server-fetch']));
    expect(pinnedArgv(parsed, '2025.4.7')).toEqual(['uvx', 'mcp-server-fetch==2025.4.7']);
  });
  it('pins a docker image by digest', () => {
    const parsed = parseLaunchDetailed(entry('docker', ['run', '-i', 'mcp/fetch:latest']));
    expect(pinnedArgv(parsed, `sha256:${'b'.repeat(64)}`)?.[3]).toBe(`mcp/fetch:latest@sha256:${'b'.repeat(64)}`);
  });
  it('has nothing to pin for a local script', () => {
    expect(pinnedArgv(parseLaunchDetailed(entry('node', ['x.js'])), '1.0.0')).toBeUndefined();
  });
});

describe('parseLaunch on arbitrary input', () => {
  it('never throws and always names an ecosystem and a launcher', async () => {
    const fc = (await import('fast-check')).default;
    const token = fc.oneof(
      fc.constantFrom('npx', 'npm', 'exec', '--', '-y', '--yes', '-p', '--package', '--registry', 'docker', 'run', '-e', 'uvx', '--from', 'cmd', '/c', 'sh', '-c', '@', '@scope/pkg@^1', 'pkg@latest', 'npm:x', 'pkg==1'),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(token, fc.array(token, { maxLength: 8 }), (command, args) => {
        const ref = parseLaunch(entry(command, args));
        return ['npm', 'pypi', 'docker', 'local', 'unknown'].includes(ref.ecosystem) && typeof ref.launcher === 'string';
      }),
      { numRuns: 3000 },
    );
  });
});
