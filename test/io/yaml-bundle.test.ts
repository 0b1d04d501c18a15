// `npm run build` bundles yaml's CommonJS build into dist/vendor/yaml.cjs (scripts/bundle-cjs.mjs) so the
// proxy does not pay ~70 module loads at start. The bundle must be the same code: same exports, same
// documents, same errors at the same places; and the bundler must refuse what it cannot reproduce.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as Yaml from 'yaml';

interface BundleScript {
  bundleCommonJs(root: string, entry: string, banner?: string): string;
  bundlePackage(name: string, outFile: string, from?: string): void;
}
const { bundleCommonJs, bundlePackage } = (await import(new URL('../../scripts/bundle-cjs.mjs', import.meta.url).href)) as BundleScript;

const repo = resolve(import.meta.dirname, '../..');
const requireHere = createRequire(import.meta.url);

function writePackage(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'mcp-guard-bundle-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

/** Loads a bundle's source as Node loads a .cjs file. */
function loadBundle(source: string): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-guard-bundle-out-'));
  const file = join(dir, 'bundle.cjs');
  writeFileSync(file, source);
  return createRequire(file)(file);
}

/** Every YAML file in the repository's rules and fixtures: the documents mcp-guard really parses. */
function yamlCorpus(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) found.push(path);
    }
  };
  walk(join(repo, 'rules'));
  walk(join(repo, 'fixtures'));
  return found;
}

/** What a parse says: the value, and each error and warning with its code and position. */
function outcome(lib: typeof Yaml, text: string): unknown {
  const lineCounter = new lib.LineCounter();
  const doc = lib.parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const problems = [...doc.errors, ...doc.warnings].map((problem) => ({ code: problem.code, message: problem.message, at: problem.pos.map((offset) => lineCounter.linePos(offset)) }));
  return { value: doc.errors.length === 0 ? doc.toJS() : null, problems, kinds: [lib.isMap(doc.contents), lib.isSeq(doc.contents), lib.isScalar(doc.contents)] };
}

describe('bundleCommonJs', () => {
  it('runs a package with relative requires, a require cycle and a builtin exactly as Node does', () => {
    const root = writePackage({
      'index.js': "'use strict';\nconst a = require('./lib/a');\nconst b = require('./lib/b.js');\nexports.value = a.name + b.name + typeof require('node:buffer').Buffer;\nexports.cycle = a.seenB;\nexports.thisIsExports = this === exports;\n",
      'lib/a.js': "'use strict';\nexports.name = 'a';\nexports.seenB = require('./b').early;\n",
      'lib/b.js': "'use strict';\nexports.early = 'b-early';\nexports.name = require('./a').name;\n",
    });
    const bundled = loadBundle(bundleCommonJs(root, join(root, 'index.js')));
    expect(bundled).toEqual(requireHere(join(root, 'index.js')));
    expect(bundled).toEqual({ value: 'aafunction', cycle: 'b-early', thisIsExports: true });
  });

  it('refuses a require it cannot resolve at build time, a package that is not an allowed builtin, and a missing file', () => {
    const dynamic = writePackage({ 'index.js': "const name = './a';\nmodule.exports = require(name);\n" });
    expect(() => bundleCommonJs(dynamic, join(dynamic, 'index.js'))).toThrow(/not a string literal/);
    const dependency = writePackage({ 'index.js': "module.exports = require('left-pad');\n" });
    expect(() => bundleCommonJs(dependency, join(dependency, 'index.js'))).toThrow(/"left-pad", which is not an allowed builtin/);
    const missing = writePackage({ 'index.js': "module.exports = require('./gone');\n" });
    expect(() => bundleCommonJs(missing, join(missing, 'index.js'))).toThrow(/"\.\/gone", which does not exist/);
  });
});

describe('the yaml bundle', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'mcp-guard-yaml-')), 'yaml.cjs');
  bundlePackage('yaml', out, join(repo, 'package.json'));
  const bundled = createRequire(out)(out) as typeof Yaml;
  const original = requireHere('yaml') as typeof Yaml;

  it('exports what the package exports and carries its license', () => {
    expect(Object.keys(bundled).sort()).toEqual(Object.keys(original).sort());
    expect(readFileSync(out, 'utf8')).toContain('Copyright Eemeli Aro');
  });

  it('parses every YAML file in rules/ and fixtures/ to the same value, errors and positions as the package', () => {
    const corpus = yamlCorpus();
    expect(corpus.length).toBeGreaterThan(20);
    for (const file of corpus) {
      const text = readFileSync(file, 'utf8');
      expect(outcome(bundled, text), file).toEqual(outcome(original, text));
    }
    // Broken documents too: errors must carry the same codes and line:column positions.
    for (const text of ['a: 1\na: 2\n', 'a: [1, 2\n', 'key: "unterminated\n', '- a\nb: c\n', 'x: !!binary zz\n']) {
      expect(outcome(bundled, text), text).toEqual(outcome(original, text));
    }
  });

  it('is what the built CLI loads, when the build made it', () => {
    // npm test builds first; dist/io/yaml.js must pick dist/vendor/yaml.cjs, not the package's files.
    const script = "import('./dist/io/yaml.js').then(() => { const loaded = Object.keys(require.cache); console.log(JSON.stringify({ vendor: loaded.some((f) => f.endsWith('/dist/vendor/yaml.cjs')), pkg: loaded.some((f) => f.includes('/node_modules/yaml/')) })); })";
    const seen = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: repo, encoding: 'utf8' })) as { vendor: boolean; pkg: boolean };
    expect(seen).toEqual({ vendor: true, pkg: false });
  });
});
