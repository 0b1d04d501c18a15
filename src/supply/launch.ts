// What a configured launch command would run (design §5). Parsing follows each launcher's own option
// rules closely enough to find the package spec, because a wrong guess here silently hides the real
// package from every supply-chain check that follows.
import npa from 'npm-package-arg';
import type { PackageRef, ServerEntry } from '../model.js';
import { splitCommandLine as splitStrict } from '../clients/command-line.js';

/** A PackageRef plus where in the argument list the package spec sits (for rewriting it pinned). */
export interface ParsedLaunch {
  ref: PackageRef;
  /** The full argument vector after unwrapping shells/shims: [command, ...args]. */
  argv: string[];
  /** Index into `argv` of the token that carries the spec (`pkg`, `pkg@1`, `--from=pkg`, image ref). */
  specIndex?: number;
  /** How the spec is embedded in argv[specIndex]: whole token, or after an `--opt=` prefix. */
  specPrefix?: string;
  /** Packages named with -p/--package besides the first (npx can install several). */
  extraPackages?: string[];
}

export function parseLaunch(entry: ServerEntry): PackageRef {
  return parseLaunchDetailed(entry).ref;
}

export function parseLaunchDetailed(entry: ServerEntry): ParsedLaunch {
  if (entry.transport !== 'stdio' || !entry.command) {
    return { ref: { ecosystem: 'unknown', launcher: entry.transport === 'stdio' ? 'none' : 'remote' }, argv: [] };
  }
  let argv = [entry.command, ...(entry.args ?? [])];
  // Cursor and hand-written configs sometimes hold the whole command line in `command`.
  if ((entry.args ?? []).length === 0 && /\s/.test(entry.command.trim()) && !looksLikeExistingPathWithSpaces(entry.command)) {
    // `C:\Program Files\nodejs\npx.cmd -y pkg`: an unquoted Windows path with spaces, then arguments.
    const windows = /^([a-zA-Z]:\\[^"]*?\.(?:cmd|exe|bat))\s+(.*)$/i.exec(entry.command.trim());
    argv = windows ? [windows[1] ?? '', ...splitCommandLine(windows[2] ?? '')] : splitCommandLine(entry.command);
  }
  return parseArgv(argv, entry.env ?? {}, 0);
}

function looksLikeExistingPathWithSpaces(command: string): boolean {
  // `C:\Program Files\nodejs\npx.cmd` is one path, not a command line.
  return /^[a-zA-Z]:\\/.test(command) && !/\s-/.test(command) && /\.(cmd|exe|bat)$/i.test(command.trim());
}

/** Basename of a command, lower-cased, without Windows shim extensions. */
export function commandName(command: string): string {
  const base = command.split(/[\\/]/).pop() ?? command;
  return base.replace(/\.(cmd|exe|bat|ps1)$/i, '').toLowerCase();
}

const MAX_UNWRAP_DEPTH = 4;

function parseArgv(argv: string[], env: Record<string, string>, depth: number): ParsedLaunch {
  const name = commandName(argv[0] ?? '');
  const rest = argv.slice(1);
  const offset = 1;
  if (depth < MAX_UNWRAP_DEPTH) {
    const unwrapped = unwrapShell(name, rest);
    // `env npm_config_registry=… npx …` sets the inner command's environment.
    if (unwrapped) return parseArgv(unwrapped, name === 'env' ? { ...env, ...envAssignments(rest) } : env, depth + 1);
  }
  if (/^python\d+(?:\.\d+)?$/.test(name)) return parsePython(name, argv);
  switch (name) {
    case 'npx':
      return parseNpmExec('npx', argv, offset, env);
    case 'npm':
      return parseNpm(argv, env);
    case 'pnpx':
      return parseNpmExec('pnpm dlx', argv, offset, env);
    case 'pnpm':
      return parsePnpm(argv, env);
    case 'yarn':
      return parseYarn(argv, env);
    case 'bunx':
      return parseNpmExec('bunx', argv, offset, env);
    case 'bun':
      return parseBun(argv, env);
    case 'deno':
      return parseDeno(argv);
    case 'uvx':
      return parseUvx('uvx', argv, offset, env);
    case 'uv':
      return parseUv(argv, env);
    case 'pipx':
      return parsePipx(argv, env);
    case 'docker':
    case 'podman':
      return parseContainer(name, argv);
    case 'node':
    case 'nodejs':
    case 'tsx':
    case 'ts-node':
      return parseScriptRunner(name, argv, NODE_VALUE_OPTIONS);
    case 'python':
    case 'python3':
    case 'py':
      return parsePython(name, argv);
    default:
      return parseDirect(argv);
  }
}

function envAssignments(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of args) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(arg);
    if (!m) {
      if (arg.startsWith('-')) continue;
      break;
    }
    out[m[1] ?? ''] = m[2] ?? '';
  }
  return out;
}

/** `cmd /c npx …`, `sh -c "npx …"`, `env X=1 npx …`: return the wrapped argv. */
/**
 * The same word splitting the config readers use; a line they would refuse (an unterminated quote) is
 * split on whitespace so that launch analysis never throws on hostile input.
 */
function splitCommandLine(line: string): string[] {
  try {
    return splitStrict(line);
  } catch {
    return line.split(/\s+/).filter((word) => word !== '');
  }
}

function unwrapShell(name: string, rest: string[]): string[] | undefined {
  if (name === 'cmd') {
    let i = 0;
    while (i < rest.length && /^\/[a-z]$/i.test(rest[i] ?? '') && !/^\/[ck]$/i.test(rest[i] ?? '')) i++;
    if (i < rest.length && /^\/[ck]$/i.test(rest[i] ?? '')) {
      const tail = rest.slice(i + 1);
      return tail.length === 1 ? splitCommandLine(tail[0] ?? '') : tail;
    }
    return undefined;
  }
  if (name === 'sh' || name === 'bash' || name === 'zsh' || name === 'dash') {
    const c = rest.findIndex((a) => a === '-c' || /^-[a-z]*c$/.test(a));
    if (c >= 0 && rest[c + 1] !== undefined) return splitCommandLine(rest[c + 1] ?? '');
    return undefined;
  }
  if (name === 'powershell' || name === 'pwsh') {
    const c = rest.findIndex((a) => /^-(c|command)$/i.test(a));
    if (c >= 0 && rest[c + 1] !== undefined) return splitCommandLine(rest.slice(c + 1).join(' '));
    return undefined;
  }
  if (name === 'env') {
    let i = 0;
    while (i < rest.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[i] ?? '') || /^-/.test(rest[i] ?? ''))) i++;
    return i < rest.length ? rest.slice(i) : undefined;
  }
  return undefined;
}


// ── npm family ──────────────────────────────────────────────────────────────

// npm config options that take a value when written as `--opt value` (not exhaustive: npm has
// hundreds; these are the ones that appear in launch commands or change what gets fetched).
const NPM_VALUE_OPTIONS = new Set([
  'registry', 'userconfig', 'globalconfig', 'cache', 'prefix', 'loglevel', 'workspace', 'w', 'call', 'c',
  'package', 'p', 'node-options', 'script-shell', 'before', 'ca', 'cafile', 'cert', 'key', 'proxy',
  'https-proxy', 'noproxy', 'otp', 'scope', 'tag', 'user-agent', 'fetch-retries', 'fetch-timeout',
  'npm-version', 'node-version', 'shell', 'omit', 'include', 'install-strategy', 'replace-registry-host',
  'allow-build', 'reporter', 'filter', 'dir', 'C', 'r', 'preload',
]);

interface NpmExecParse {
  packages: Array<{ spec: string; index: number; prefix: string }>;
  positional?: { value: string; index: number };
  registry?: string;
}

/**
 * Walks the options from argv[start] up to the first positional (npx, uvx and uv stop parsing there:
 * later flags belong to the package's own binary; `--` ends options explicitly), calling `onValue` for
 * each option that carries a value (`--k=v`, `-k=v`, or `--k v` for a key in `valueOptions`). `prefix`
 * is what precedes the value inside its argument (`--package=`), for pinned-command tips.
 */
function scanOptions(
  argv: string[],
  start: number,
  valueOptions: Set<string>,
  onValue: (key: string, value: string, index: number, prefix: string) => void,
): { positional?: { value: string; index: number } } {
  for (let i = start; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') return argv[i + 1] !== undefined ? { positional: { value: argv[i + 1] ?? '', index: i + 1 } } : {};
    if (!arg.startsWith('-') || arg === '-') return { positional: { value: arg, index: i } };
    const body = arg.replace(/^-+/, '');
    const eq = body.indexOf('=');
    const key = eq >= 0 ? body.slice(0, eq) : body;
    if (eq >= 0) {
      const value = body.slice(eq + 1);
      onValue(key, value, i, arg.slice(0, arg.length - value.length));
    } else if (valueOptions.has(key) && argv[i + 1] !== undefined) {
      i++;
      onValue(key, argv[i] ?? '', i, '');
    }
  }
  return {};
}

function scanNpmOptions(argv: string[], start: number, valueOptions: Set<string>): NpmExecParse {
  const result: NpmExecParse = { packages: [] };
  const { positional } = scanOptions(argv, start, valueOptions, (key, spec, index, prefix) => {
    if (key === 'package' || key === 'p') result.packages.push({ spec, index, prefix });
    if (key === 'registry' || key === 'r') result.registry = spec;
  });
  if (positional) result.positional = positional;
  return result;
}

function registryFromEnv(env: Record<string, string>): string | undefined {
  for (const [key, value] of Object.entries(env)) {
    if (key.toLowerCase() === 'npm_config_registry' || key === 'YARN_NPM_REGISTRY_SERVER' || key === 'BUN_CONFIG_REGISTRY') return value;
  }
  return undefined;
}

function parseNpmExec(launcher: string, argv: string[], start: number, env: Record<string, string>): ParsedLaunch {
  const scan = scanNpmOptions(argv, start, NPM_VALUE_OPTIONS);
  const registry = scan.registry ?? registryFromEnv(env);
  const chosen = scan.packages[0] ?? (scan.positional ? { spec: scan.positional.value, index: scan.positional.index, prefix: '' } : undefined);
  if (!chosen) return { ref: withRegistry({ ecosystem: 'unknown', launcher }, registry), argv };
  const parsed: ParsedLaunch = {
    ref: withRegistry(npmSpecToRef(launcher, chosen.spec), registry),
    argv,
    specIndex: chosen.index,
    specPrefix: chosen.prefix,
  };
  if (scan.packages.length > 1) parsed.extraPackages = scan.packages.slice(1).map((p) => p.spec);
  return parsed;
}

function withRegistry(ref: PackageRef, registry: string | undefined): PackageRef {
  // Registry URLs may embed credentials (`https://user:token@host/`); the ref ends up in reports.
  if (registry !== undefined && registry !== '') ref.registry = registry.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/i, '$1[REDACTED]@');
  return ref;
}

/** Turn an npm package spec into a PackageRef; git, tarball and path specs are not registry packages. */
export function npmSpecToRef(launcher: string, spec: string): PackageRef {
  let parsed: npa.Result;
  try {
    parsed = npa(spec);
  } catch {
    return { ecosystem: 'unknown', launcher, name: spec };
  }
  if (parsed.type === 'alias' && spec.includes('npm:')) return npmSpecToRef(launcher, spec.slice(spec.indexOf('npm:') + 4));
  if (parsed.type === 'version' || parsed.type === 'range' || parsed.type === 'tag') {
    const ref: PackageRef = { ecosystem: 'npm', launcher, name: parsed.name ?? spec };
    if (hasWrittenVersion(spec)) ref.spec = parsed.rawSpec;
    if (parsed.type === 'version') ref.exactVersion = parsed.fetchSpec ?? parsed.rawSpec;
    return ref;
  }
  if (parsed.type === 'file' || parsed.type === 'directory') return { ecosystem: 'local', launcher, path: spec };
  const ref: PackageRef = { ecosystem: 'unknown', launcher, name: spec };
  if (parsed.type === 'git') {
    const committish = parsed.gitCommittish ?? undefined;
    if (committish) ref.spec = committish;
    if (committish && /^[0-9a-f]{40}$/i.test(committish)) ref.exactVersion = committish;
  }
  return ref;
}

function hasWrittenVersion(spec: string): boolean {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  return at > 0 && at < spec.length - 1;
}

function parseNpm(argv: string[], env: Record<string, string>): ParsedLaunch {
  // `npm [global opts] exec|x [opts] [--] pkg`; global options before the subcommand still apply.
  const sub = findSubcommand(argv, 1, NPM_VALUE_OPTIONS);
  if (sub && (argv[sub] === 'exec' || argv[sub] === 'x')) {
    const before = scanNpmOptions(argv.slice(0, sub).concat(['--']), 1, NPM_VALUE_OPTIONS);
    const parsed = parseNpmExec('npm exec', argv, sub + 1, env);
    if (before.registry && !parsed.ref.registry) parsed.ref = withRegistry(parsed.ref, before.registry);
    return parsed;
  }
  const what = sub ? argv[sub] : undefined;
  return { ref: { ecosystem: 'local', launcher: what ? `npm ${what}` : 'npm' }, argv };
}

function findSubcommand(argv: string[], start: number, valueOptions: Set<string>): number | undefined {
  for (let i = start; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('-')) return i;
    const key = arg.replace(/^-+/, '');
    if (!key.includes('=') && valueOptions.has(key)) i++;
  }
  return undefined;
}

function parsePnpm(argv: string[], env: Record<string, string>): ParsedLaunch {
  const sub = findSubcommand(argv, 1, NPM_VALUE_OPTIONS);
  if (sub && argv[sub] === 'dlx') {
    // pnpm accepts `--package` before `dlx` too.
    const before = scanNpmOptions(argv.slice(0, sub).concat(['--']), 1, NPM_VALUE_OPTIONS);
    const parsed = parseNpmExec('pnpm dlx', argv, sub + 1, env);
    if (before.registry && !parsed.ref.registry) parsed.ref = withRegistry(parsed.ref, before.registry);
    const early = before.packages[0];
    if (early && parsed.ref.name !== undefined && !argv.slice(sub + 1).some((a) => a.startsWith('--package') || a === '-p')) {
      return { ...parsed, ref: withRegistry(npmSpecToRef('pnpm dlx', early.spec), parsed.ref.registry), specIndex: early.index, specPrefix: early.prefix };
    }
    return parsed;
  }
  return { ref: { ecosystem: 'local', launcher: sub ? `pnpm ${argv[sub]}` : 'pnpm' }, argv };
}

function parseYarn(argv: string[], env: Record<string, string>): ParsedLaunch {
  const sub = findSubcommand(argv, 1, NPM_VALUE_OPTIONS);
  if (sub && argv[sub] === 'dlx') return parseNpmExec('yarn dlx', argv, sub + 1, env);
  return { ref: { ecosystem: 'local', launcher: sub ? `yarn ${argv[sub]}` : 'yarn' }, argv };
}

function parseBun(argv: string[], env: Record<string, string>): ParsedLaunch {
  const sub = findSubcommand(argv, 1, NPM_VALUE_OPTIONS);
  if (sub && argv[sub] === 'x') return parseNpmExec('bunx', argv, sub + 1, env);
  if (sub && argv[sub] !== 'run') return { ref: { ecosystem: 'local', launcher: 'bun', path: argv[sub] ?? '' }, argv };
  const script = sub !== undefined ? argv[sub + 1] : undefined;
  const ref: PackageRef = { ecosystem: 'local', launcher: 'bun' };
  if (script !== undefined) ref.path = script;
  return { ref, argv };
}

function parseDeno(argv: string[]): ParsedLaunch {
  const sub = findSubcommand(argv, 1, new Set(['config', 'c', 'import-map', 'lock', 'cert', 'location', 'v8-flags', 'seed', 'env-file']));
  if (sub === undefined) return { ref: { ecosystem: 'unknown', launcher: 'deno' }, argv };
  let target = sub;
  if (argv[sub] === 'run' || argv[sub] === 'x') {
    const next = findSubcommand(argv, sub + 1, new Set(['config', 'c', 'import-map', 'lock', 'cert', 'location', 'v8-flags', 'seed', 'env-file']));
    if (next === undefined) return { ref: { ecosystem: 'unknown', launcher: 'deno run' }, argv };
    target = next;
  }
  const module = argv[target] ?? '';
  if (module.startsWith('npm:')) {
    return { ref: npmSpecToRef('deno run', module.slice(4)), argv, specIndex: target, specPrefix: 'npm:' };
  }
  if (module.startsWith('jsr:') || /^https?:/.test(module)) return { ref: { ecosystem: 'unknown', launcher: 'deno run', name: module }, argv, specIndex: target };
  return { ref: { ecosystem: 'local', launcher: 'deno run', path: module }, argv };
}

// ── Python ──────────────────────────────────────────────────────────────────

const UV_VALUE_OPTIONS = new Set([
  'from', 'with', 'with-editable', 'with-requirements', 'python', 'p', 'index', 'index-url', 'i', 'extra-index-url',
  'default-index', 'find-links', 'f', 'constraints', 'c', 'overrides', 'build-constraints', 'b', 'cache-dir',
  'directory', 'project', 'config-file', 'env-file', 'index-strategy', 'keyring-provider', 'resolution',
  'prerelease', 'exclude-newer', 'python-platform', 'refresh-package', 'reinstall-package', 'upgrade-package',
  'P', 'config-setting', 'C', 'link-mode', 'color', 'allow-insecure-host', 'native-tls', 'torch-backend',
]);
const UV_INDEX_OPTIONS = new Set(['index', 'index-url', 'i', 'extra-index-url', 'default-index']);
const UV_INDEX_ENV = ['UV_INDEX_URL', 'UV_DEFAULT_INDEX', 'UV_INDEX', 'UV_EXTRA_INDEX_URL', 'PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL'];

interface PyScan {
  from?: { spec: string; index: number; prefix: string };
  positional?: { value: string; index: number };
  index?: string;
}

function scanPyOptions(argv: string[], start: number, valueOptions: Set<string>, fromKeys: Set<string>): PyScan {
  const result: PyScan = {};
  const { positional } = scanOptions(argv, start, valueOptions, (key, spec, index, prefix) => {
    if (fromKeys.has(key)) result.from = { spec, index, prefix };
    if (UV_INDEX_OPTIONS.has(key)) result.index = spec;
  });
  if (positional) result.positional = positional;
  return result;
}

function indexFromEnv(env: Record<string, string>): string | undefined {
  for (const key of UV_INDEX_ENV) if (env[key]) return env[key];
  return undefined;
}

function parseUvx(launcher: string, argv: string[], start: number, env: Record<string, string>): ParsedLaunch {
  const scan = scanPyOptions(argv, start, UV_VALUE_OPTIONS, new Set(['from']));
  const chosen = scan.from ?? (scan.positional ? { spec: scan.positional.value, index: scan.positional.index, prefix: '' } : undefined);
  const registry = scan.index ?? indexFromEnv(env);
  if (!chosen) return { ref: withRegistry({ ecosystem: 'unknown', launcher }, registry), argv };
  return { ref: withRegistry(pySpecToRef(launcher, chosen.spec), registry), argv, specIndex: chosen.index, specPrefix: chosen.prefix };
}

function parseUv(argv: string[], env: Record<string, string>): ParsedLaunch {
  const sub = findSubcommand(argv, 1, UV_VALUE_OPTIONS);
  if (sub !== undefined && argv[sub] === 'tool' && argv[sub + 1] === 'run') return parseUvx('uv tool run', argv, sub + 2, env);
  if (sub !== undefined && argv[sub] === 'run') {
    const scan = scanPyOptions(argv, sub + 1, UV_VALUE_OPTIONS, new Set());
    const ref: PackageRef = { ecosystem: 'local', launcher: 'uv run' };
    if (scan.positional) ref.path = scan.positional.value;
    return { ref, argv };
  }
  return { ref: { ecosystem: 'local', launcher: sub !== undefined ? `uv ${argv[sub]}` : 'uv' }, argv };
}

const PIPX_VALUE_OPTIONS = new Set(['spec', 'python', 'pip-args', 'index-url', 'i', 'backend', 'fetch-python']);

function parsePipx(argv: string[], env: Record<string, string>): ParsedLaunch {
  const sub = findSubcommand(argv, 1, PIPX_VALUE_OPTIONS);
  if (sub === undefined || argv[sub] !== 'run') return { ref: { ecosystem: 'local', launcher: 'pipx' }, argv };
  const scan = scanPyOptions(argv, sub + 1, PIPX_VALUE_OPTIONS, new Set(['spec']));
  let registry: string | undefined = indexFromEnv(env);
  for (let i = sub + 1; i < (scan.positional?.index ?? argv.length); i++) {
    const arg = argv[i] ?? '';
    if (arg === '--index-url' || arg === '-i') registry = argv[i + 1];
    else if (arg.startsWith('--index-url=')) registry = arg.slice('--index-url='.length);
    const pipArgs = arg === '--pip-args' ? argv[i + 1] : arg.startsWith('--pip-args=') ? arg.slice(11) : undefined;
    const m = pipArgs ? /(?:--index-url|-i|--extra-index-url)[=\s]+(\S+)/.exec(pipArgs) : null;
    if (m?.[1]) registry = m[1];
  }
  const chosen = scan.from ?? (scan.positional ? { spec: scan.positional.value, index: scan.positional.index, prefix: '' } : undefined);
  if (!chosen) return { ref: withRegistry({ ecosystem: 'unknown', launcher: 'pipx run' }, registry), argv };
  return { ref: withRegistry(pySpecToRef('pipx run', chosen.spec), registry), argv, specIndex: chosen.index, specPrefix: chosen.prefix };
}

/** PEP 508-ish: `name`, `name==1.2`, `name@1.2` (uvx), `name[extra]>=1`, a URL or a path. */
export function pySpecToRef(launcher: string, spec: string): PackageRef {
  const trimmed = spec.trim();
  if (/^(git\+|https?:|file:)/.test(trimmed) || trimmed.includes(' @ ')) return { ecosystem: 'unknown', launcher, name: trimmed };
  if (/^[./~]/.test(trimmed) || /^[a-zA-Z]:\\/.test(trimmed) || /\.(whl|tar\.gz|zip)$/.test(trimmed)) return { ecosystem: 'local', launcher, path: trimmed };
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$/.exec(trimmed);
  if (!m) return { ecosystem: 'unknown', launcher, name: trimmed };
  const name = m[1] ?? trimmed;
  const versionPart = (m[3] ?? '').trim();
  const ref: PackageRef = { ecosystem: 'pypi', launcher, name };
  if (!versionPart) return ref;
  if (versionPart.startsWith('@')) {
    const v = versionPart.slice(1).trim();
    ref.spec = v;
    if (v !== 'latest' && /^[0-9][0-9A-Za-z.!+-]*$/.test(v)) ref.exactVersion = v;
    return ref;
  }
  ref.spec = versionPart;
  const exact = /^===?\s*([0-9][0-9A-Za-z.!+-]*)$/.exec(versionPart);
  if (exact?.[1] && !versionPart.includes('*')) ref.exactVersion = exact[1];
  return ref;
}

function parsePython(name: string, argv: string[]): ParsedLaunch {
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-m' && argv[i + 1] !== undefined) return { ref: { ecosystem: 'local', launcher: `${name} -m`, name: argv[i + 1] ?? '' }, argv };
    if (arg.startsWith('-m') && arg.length > 2) return { ref: { ecosystem: 'local', launcher: `${name} -m`, name: arg.slice(2) }, argv };
    if (arg === '-c') return { ref: { ecosystem: 'unknown', launcher: `${name} -c` }, argv };
    if (arg === '-W' || arg === '-X' || arg === '--check-hash-based-pycs') {
      i++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    return { ref: { ecosystem: 'local', launcher: name, path: arg }, argv };
  }
  return { ref: { ecosystem: 'unknown', launcher: name }, argv };
}

// ── node and direct commands ────────────────────────────────────────────────

const NODE_VALUE_OPTIONS = new Set(['r', 'require', 'import', 'loader', 'experimental-loader', 'conditions', 'C', 'title', 'env-file', 'inspect-port', 'stack-size', 'max-old-space-size', 'tsconfig']);

function parseScriptRunner(name: string, argv: string[], valueOptions: Set<string>): ParsedLaunch {
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-e' || arg === '--eval' || arg === '-p' || arg === '--print') return { ref: { ecosystem: 'unknown', launcher: `${name} ${arg}` }, argv };
    if (arg === '--') {
      const script = argv[i + 1];
      return { ref: script !== undefined ? { ecosystem: 'local', launcher: name, path: script } : { ecosystem: 'unknown', launcher: name }, argv };
    }
    if (arg.startsWith('-')) {
      const key = arg.replace(/^-+/, '');
      if (!key.includes('=') && valueOptions.has(key)) i++;
      continue;
    }
    return { ref: { ecosystem: 'local', launcher: name, path: arg }, argv };
  }
  return { ref: { ecosystem: 'unknown', launcher: name }, argv };
}

function parseDirect(argv: string[]): ParsedLaunch {
  const command = argv[0] ?? '';
  if (/[\\/]/.test(command) || command.startsWith('.')) return { ref: { ecosystem: 'local', launcher: 'executable', path: command }, argv };
  // A bare name resolved through PATH: whatever is installed there, of unknown origin.
  return { ref: { ecosystem: 'unknown', launcher: commandName(command), name: commandName(command) }, argv };
}

// ── containers ──────────────────────────────────────────────────────────────

const CONTAINER_VALUE_OPTIONS = new Set([
  'e', 'env', 'v', 'volume', 'name', 'p', 'publish', 'network', 'net', 'w', 'workdir', 'u', 'user', 'entrypoint',
  'env-file', 'mount', 'l', 'label', 'label-file', 'platform', 'pull', 'm', 'memory', 'memory-swap',
  'memory-reservation', 'cpus', 'cpu-shares', 'c', 'cpuset-cpus', 'cpuset-mems', 'add-host', 'device', 'cap-add',
  'cap-drop', 'security-opt', 'tmpfs', 'ulimit', 'hostname', 'h', 'dns', 'dns-search', 'dns-option', 'log-driver',
  'log-opt', 'restart', 'runtime', 'shm-size', 'ipc', 'pid', 'uts', 'userns', 'cidfile', 'gpus', 'group-add',
  'health-cmd', 'health-interval', 'health-retries', 'health-timeout', 'health-start-period', 'stop-signal',
  'stop-timeout', 'link', 'expose', 'volumes-from', 'cgroup-parent', 'cgroupns', 'isolation', 'a', 'attach',
  'detach-keys', 'blkio-weight', 'oom-score-adj', 'pids-limit', 'sysctl', 'storage-opt', 'annotation', 'arch',
  'os', 'variant', 'ip', 'ip6', 'mac-address', 'network-alias', 'domainname', 'kernel-memory', 'cpu-period',
  'cpu-quota', 'cpu-rt-period', 'cpu-rt-runtime', 'device-read-bps', 'device-write-bps', 'device-cgroup-rule',
  'secret', 'env-merge', 'hooks-dir', 'init-path', 'pod', 'requires', 'sdnotify', 'seccomp-policy', 'systemd',
  'timeout', 'tz', 'umask', 'uidmap', 'gidmap', 'subuidname', 'subgidname', 'passwd-entry', 'preserve-fds',
  'decryption-key', 'authfile', 'cert-dir', 'creds', 'log-level', 'image-volume', 'chrootdirs', 'personality',
]);
const CONTAINER_SHORT_WITH_VALUE = new Set(['e', 'v', 'p', 'w', 'u', 'l', 'm', 'h', 'a', 'c']);

function parseContainer(engine: string, argv: string[]): ParsedLaunch {
  const launcher = `${engine} run`;
  let i = 1;
  // Global options before the subcommand (`docker --context x run`, `podman --remote run`).
  while (i < argv.length && (argv[i] ?? '').startsWith('-')) {
    const key = (argv[i] ?? '').replace(/^-+/, '');
    if (!key.includes('=') && ['context', 'c', 'host', 'H', 'config', 'log-level', 'l', 'url', 'connection', 'root', 'runroot'].includes(key)) i++;
    i++;
  }
  if (argv[i] === 'container') i++;
  if (argv[i] !== 'run') return { ref: { ecosystem: 'unknown', launcher: argv[i] ? `${engine} ${argv[i]}` : engine }, argv };
  for (i = i + 1; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    if (arg.startsWith('--')) {
      const key = arg.slice(2);
      if (!key.includes('=') && CONTAINER_VALUE_OPTIONS.has(key)) i++;
      continue;
    }
    // Short flags may be bundled (`-it`, `-itd`) and the last may take a value, attached or next.
    const letters = arg.slice(1);
    for (let j = 0; j < letters.length; j++) {
      if (CONTAINER_SHORT_WITH_VALUE.has(letters[j] ?? '')) {
        if (j === letters.length - 1) i++;
        break;
      }
    }
  }
  const image = argv[i];
  if (image === undefined) return { ref: { ecosystem: 'docker', launcher }, argv };
  return { ref: imageToRef(launcher, image), argv, specIndex: i, specPrefix: '' };
}

/** `[host[:port]/]path[:tag][@sha256:hex]` */
export function imageToRef(launcher: string, image: string): PackageRef {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const ref: PackageRef = { ecosystem: 'docker', launcher, name: rest };
  if (tag !== undefined) ref.spec = tag;
  if (digest !== undefined) {
    ref.digest = digest;
    if (/^sha256:[0-9a-f]{64}$/.test(digest)) ref.exactVersion = digest;
  }
  return ref;
}

// ── rewriting ───────────────────────────────────────────────────────────────

/**
 * The same command line with the package pinned to `version`, for tips. Returns undefined when the
 * launch has no rewritable spec.
 */
export function pinnedArgv(parsed: ParsedLaunch, version: string): string[] | undefined {
  const { ref, specIndex } = parsed;
  if (specIndex === undefined || !ref.name) return undefined;
  const argv = [...parsed.argv];
  const prefix = parsed.specPrefix ?? '';
  let pinned: string;
  if (ref.ecosystem === 'npm') pinned = `${ref.name}@${version}`;
  else if (ref.ecosystem === 'pypi') pinned = `${ref.name}==${version}`;
  else if (ref.ecosystem === 'docker') pinned = `${ref.name}${ref.spec ? `:${ref.spec}` : ''}@${version}`;
  else return undefined;
  argv[specIndex] = `${prefix}${pinned}`;
  const optionsEnd = firstPositional(argv, specIndex);
  if (ref.ecosystem === 'npm' && !argv.slice(1, optionsEnd).some((a) => a === '-y' || a === '--yes') && commandName(argv[0] ?? '') === 'npx') {
    // Not needed for pinning, but without it npx prompts and MCP clients hang on the prompt.
    argv.splice(1, 0, '-y');
  }
  return argv;
}

/** Index of the first positional argument that is not the spec itself (the bin, for `--package`). */
function firstPositional(argv: string[], specIndex: number): number {
  for (let i = 1; i < argv.length; i++) {
    if (i === specIndex && !(argv[i] ?? '').startsWith('-')) return i;
    if (i === specIndex) continue;
    const arg = argv[i] ?? '';
    if (!arg.startsWith('-')) return i;
    if (NPM_VALUE_OPTIONS.has(arg.replace(/^-+/, ''))) i++;
  }
  return argv.length;
}

/** Quote argv for display in a POSIX shell. */
export function formatCommandLine(argv: string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./^~-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
