// Writes a dependency-free CommonJS package as one file: its modules, unchanged, each in a function, and
// a require() that finds them by relative path. Used at build time for `yaml` (dist/vendor/yaml.cjs):
// importing the package from its ~70 files costs 40–60 ms of module resolution, reads and compiles,
// which `mcp-guard proxy` would pay before its first response; one file costs a third of that.
// The bundle refuses anything it cannot reproduce exactly: a require() that is not a string literal, a
// module outside the package, or a package that is not a builtin on the allowlist.
// Usage: node scripts/bundle-cjs.mjs PACKAGE OUT.cjs   (run by `npm run build`)
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILTINS = new Set(['buffer', 'process', 'node:buffer', 'node:process']);
const STATIC_REQUIRE = /\brequire\((['"])([^'"\n]+)\1\)/g;
const ANY_REQUIRE = /\brequire\s*\(/g;

/**
 * The bundle's source for the CommonJS module graph rooted at `entry` (an absolute file path), with
 * module ids relative to `root`. Throws on anything outside what the loader below supports.
 */
export function bundleCommonJs(root, entry, banner = '') {
  const modules = new Map();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop();
    const id = relative(root, file).split(sep).join('/');
    if (modules.has(id)) continue;
    if (id.startsWith('../')) throw new Error(`${file}: outside the package`);
    const source = readFileSync(file, 'utf8');
    const literal = [...source.matchAll(STATIC_REQUIRE)];
    const all = source.match(ANY_REQUIRE)?.length ?? 0;
    if (all !== literal.length) throw new Error(`${file}: a require() whose argument is not a string literal`);
    for (const [, , spec] of literal) {
      if (!spec.startsWith('.')) {
        if (!BUILTINS.has(spec)) throw new Error(`${file}: requires "${spec}", which is not an allowed builtin`);
        continue;
      }
      const target = withExtension(resolve(dirname(file), spec));
      if (!existsSync(target)) throw new Error(`${file}: requires "${spec}", which does not exist`);
      pending.push(target);
    }
    modules.set(id, source);
  }
  const entryId = relative(root, entry).split(sep).join('/');
  // No file-wide 'use strict': each module keeps the mode its own directive gives it, as under Node.
  let out = `${banner}const definitions = {\n`;
  for (const [id, source] of [...modules].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // The module's text between its own function braces, as Node's own wrapper would run it.
    out += `${JSON.stringify(id)}: function (exports, require, module, __filename, __dirname) {\n${source}\n},\n`;
  }
  out += `};
const path = require('node:path').posix;
const cache = Object.create(null);
function load(id) {
  const cached = cache[id];
  if (cached) return cached.exports;
  const define = definitions[id];
  if (!define) throw new Error('bundled module not found: ' + id);
  const module = { exports: {} };
  // Registered before it runs, as Node does, so a require cycle sees the partial exports.
  cache[id] = module;
  const dir = path.dirname(id);
  const localRequire = (spec) => (spec.startsWith('.') ? load(withJs(path.join(dir, spec))) : require(spec));
  define.call(module.exports, module.exports, localRequire, module, id, dir);
  return module.exports;
}
function withJs(id) {
  return id.endsWith('.js') ? id : id + '.js';
}
module.exports = load(${JSON.stringify(entryId)});
`;
  return out;
}

function withExtension(file) {
  return file.endsWith('.js') ? file : `${file}.js`;
}

/** Bundles the package's `node` entry (exports["."].node, else main) into `outFile`, atomically. */
export function bundlePackage(name, outFile, from = import.meta.url) {
  const manifestPath = createRequire(from).resolve(`${name}/package.json`);
  const root = dirname(manifestPath);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const exported = manifest.exports?.['.'];
  const entry = (typeof exported === 'object' && exported !== null ? exported.node : undefined) ?? manifest.main;
  if (typeof entry !== 'string') throw new Error(`${name}: no node entry point in package.json`);
  const licenseFile = ['LICENSE', 'LICENSE.md', 'license'].map((f) => join(root, f)).find((f) => existsSync(f));
  const license = licenseFile ? readFileSync(licenseFile, 'utf8').trim() : `license: ${manifest.license}`;
  const banner = `// ${name} ${manifest.version}, bundled from its own CommonJS build by scripts/bundle-cjs.mjs.\n/*\n${license.replaceAll('*/', '* /')}\n*/\n`;
  const source = bundleCommonJs(root, join(root, entry), banner);
  mkdirSync(dirname(outFile), { recursive: true });
  const temporary = `${outFile}.${process.pid}.tmp`;
  writeFileSync(temporary, source);
  renameSync(temporary, outFile);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [name, outFile] = process.argv.slice(2);
  if (!name || !outFile) {
    process.stderr.write('usage: node scripts/bundle-cjs.mjs PACKAGE OUT.cjs\n');
    process.exit(2);
  }
  bundlePackage(name, resolve(outFile));
}
