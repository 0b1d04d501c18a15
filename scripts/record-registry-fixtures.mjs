#!/usr/bin/env node
// Records the packuments under fixtures/registry/packuments/ that the supply-chain tests replay.
//
//   node scripts/record-registry-fixtures.mjs
//
// Each packument is fetched from the registry as-is and trimmed to the versions the tests use (the
// full documents run to megabytes). Where the registry reachable from our machines strips fields the
// public registry serves (dist.signatures, dist.attestations, time.created/modified), the values are
// restored from recorded public-registry data named in RESTORED below, and the tampered copies are
// derived from those: see fixtures/registry/README.md for what each file is.
import { mkdirSync, writeFileSync } from 'node:fs';
import registryFetch from 'npm-registry-fetch';

const OUT = new URL('../fixtures/registry/packuments/', import.meta.url);
mkdirSync(OUT, { recursive: true });

async function packument(name) {
  return registryFetch.json(`/${name.replace('/', '%2f')}`, { headers: { accept: 'application/json' }, fullMetadata: true, preferOnline: true });
}

function trim(doc, versions, latest = versions.at(-1)) {
  const out = { _id: doc._id ?? doc.name, name: doc.name, 'dist-tags': { latest }, versions: {}, time: {} };
  for (const key of ['created', 'modified']) if (doc.time?.[key]) out.time[key] = doc.time[key];
  for (const v of versions) {
    if (!doc.versions[v]) throw new Error(`${doc.name}@${v} missing from the registry response`);
    out.versions[v] = doc.versions[v];
    if (doc.time?.[v]) out.time[v] = doc.time[v];
  }
  return out;
}

function write(stem, doc) {
  writeFileSync(new URL(`${stem}.json`, OUT), `${JSON.stringify(doc, null, 2)}\n`);
  process.stderr.write(`wrote ${stem}.json\n`);
}

const clone = (x) => JSON.parse(JSON.stringify(x));

// Values the public registry serves and the stripped mirror does not, recorded from public sources.
const RESTORED = {
  // registry.npmjs.org/-/npm/v1/attestations/@playwright%2fcli@0.1.1 is recorded in
  // fixtures/registry/attestations/playwright-cli-0.1.1.json.
  playwrightAttestations: {
    url: 'https://registry.npmjs.org/-/npm/v1/attestations/@playwright%2fcli@0.1.1',
    provenance: { predicateType: 'https://slsa.dev/provenance/v1' },
  },
  // dist.signatures of @anthropic-ai/claude-code 2.1.97 and 2.1.98 as published by the public registry.
  claudeCodeSignatures: {
    '2.1.97': 'MEUCICG6rML8JBFMxvrHFFDhofBztC5mvsOLqHbO7G4bdU4MAiEA/TuR+/HzSBvE2e/5XokcLHWOLaw604eahZ4Hy+IFTew=',
    '2.1.98': 'MEQCIGvolW/eLJuocfuN94cinl0Vz9arMrshmIhulXk/9JEBAiAW18CskQ+uEkWf90x4Dc0TqDoRBQ7lmCAXhpXpqbEJDA==',
  },
  currentKey: 'SHA256:DhQ8wR5APBvFHLF/+Tc+AYvPOdTpcIDqOhxsBHRwC7U',
  // request's deprecation notice on the public registry.
  requestDeprecated: 'request has been deprecated, see https://github.com/request/request/issues/3142',
};

const playwright = trim(await packument('@playwright/cli'), ['0.1.1', '0.1.22']);
playwright.versions['0.1.1'].dist.attestations = RESTORED.playwrightAttestations;
write('playwright__cli', playwright);
const otherPackage = clone(playwright);
otherPackage._id = otherPackage.name = '@playwrite/cli';
for (const v of Object.values(otherPackage.versions)) v.name = '@playwrite/cli';
write('playwright__cli.other-package', otherPackage);
const otherRepository = clone(playwright);
otherRepository.versions['0.1.1'].repository = { type: 'git', url: 'git+https://github.com/evil-fork/playwright-cli.git' };
write('playwright__cli.other-repository', otherRepository);

const claude = trim(await packument('@anthropic-ai/claude-code'), ['2.1.97', '2.1.98']);
for (const [v, sig] of Object.entries(RESTORED.claudeCodeSignatures)) claude.versions[v].dist.signatures = [{ keyid: RESTORED.currentKey, sig }];
write('anthropic-ai__claude-code', claude);
const swapped = clone(claude);
// A genuine registry signature, but over 2.1.97: the shape a replayed or forged signature takes.
swapped.versions['2.1.98'].dist.signatures = clone(claude.versions['2.1.97'].dist.signatures);
write('anthropic-ai__claude-code.tampered-signature', swapped);

const request = trim(await packument('request'), ['2.88.2']);
write('request', request);
const deprecated = clone(request);
deprecated.versions['2.88.2'].deprecated = RESTORED.requestDeprecated;
write('request.deprecated', deprecated);

write('esbuild', trim(await packument('esbuild'), ['0.28.2']));
write('modelcontextprotocol__server-filesystem', trim(await packument('@modelcontextprotocol/server-filesystem'), ['2026.8.31']));
