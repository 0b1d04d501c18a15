#!/usr/bin/env node
// Writes the trust material mcp-guard verifies against, as data, from the TUF seed that ships inside
// @sigstore/tuf (the root of trust npm itself uses for `npm audit signatures`):
//   rules/data/sigstore-trusted-root.json  Sigstore public-good trusted root (Fulcio CAs, Rekor and CT log keys)
//   rules/data/npm-registry-keys.json       the npm registry's signing keys with their validity windows
// Run after upgrading @sigstore/tuf; review the diff: a changed key is a security event.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const seedsPath = require.resolve('@sigstore/tuf/seeds.json');
const { version } = require('@sigstore/tuf/package.json');
const seeds = require(seedsPath);
const repo = seeds['https://tuf-repo-cdn.sigstore.dev'];
if (!repo) throw new Error(`no public-good repository in ${seedsPath}`);
const target = (name) => {
  const b64 = repo.targets[name];
  if (!b64) throw new Error(`target ${name} missing from ${seedsPath}`);
  return JSON.parse(Buffer.from(b64, 'base64').toString('utf8'));
};
const out = new URL('../rules/data/', import.meta.url);
const source = `@sigstore/tuf@${version} seeds.json (TUF repository https://tuf-repo-cdn.sigstore.dev)`;
writeFileSync(new URL('sigstore-trusted-root.json', out), `${JSON.stringify({ _source: source, ...target('trusted_root.json') }, null, 2)}\n`);
writeFileSync(new URL('npm-registry-keys.json', out), `${JSON.stringify({ _source: source, ...target('registry.npmjs.org%2Fkeys.json') }, null, 2)}\n`);
process.stderr.write(`wrote trust material from ${source}\n`);
