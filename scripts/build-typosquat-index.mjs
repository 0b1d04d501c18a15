#!/usr/bin/env node
// Writes rules/data/typosquat-index.bin: the typosquat lookup keys of rules/data/popular-npm.txt and
// mcp-packages.txt, sorted, so a scan loads them instead of hashing 50k names on every start.
// The file records a digest of both texts; a stale file is ignored (the keys are then built at load).
//
//   npm run build && node scripts/build-typosquat-index.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const data = new URL('../rules/data/', import.meta.url);
const { prebuildTyposquatKeys, PREBUILT_INDEX_FILE } = await import(new URL('../dist/supply/typosquat.js', import.meta.url).href);
const popular = readFileSync(new URL('popular-npm.txt', data), 'utf8');
const known = readFileSync(new URL('mcp-packages.txt', data), 'utf8');
const bytes = prebuildTyposquatKeys(popular, known);
writeFileSync(new URL(PREBUILT_INDEX_FILE, data), bytes);
process.stderr.write(`wrote ${PREBUILT_INDEX_FILE}: ${bytes.length} bytes, ${bytes.readUInt32LE(8)} keys\n`);
