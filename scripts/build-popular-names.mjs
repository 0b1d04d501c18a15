#!/usr/bin/env node
// Builds rules/data/popular-npm.txt: the most downloaded npm package names with their monthly
// downloads, the reference set for typosquat checks (src/supply/typosquat.ts).
//
//   node scripts/build-popular-names.mjs [--input npm.tsv] [--top 50000] [--out rules/data/popular-npm.txt]
//
// Input: a TSV whose header names the columns `name` and `downloads_a_month` (other columns ignored).
// Output: `#` header lines naming source, date and count, then `name<TAB>downloads`, most downloaded first.
import { createReadStream, statSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    input: { type: 'string', default: '/work/.library/env/packages/npm.tsv' },
    top: { type: 'string', default: '50000' },
    out: { type: 'string', default: new URL('../rules/data/popular-npm.txt', import.meta.url).pathname },
  },
});
const top = Number.parseInt(values.top, 10);
if (!Number.isInteger(top) || top <= 0) throw new Error(`--top must be a positive integer, got ${values.top}`);

// npm names: lower-case, url-safe, optional scope. Anything else in the dump is noise.
const VALID_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

const lines = createInterface({ input: createReadStream(values.input), crlfDelay: Infinity });
let nameColumn = -1;
let downloadsColumn = -1;
const rows = [];
let skipped = 0;
for await (const line of lines) {
  const cells = line.split('\t');
  if (nameColumn < 0) {
    nameColumn = cells.indexOf('name');
    downloadsColumn = cells.indexOf('downloads_a_month');
    if (nameColumn < 0 || downloadsColumn < 0) throw new Error(`header lacks name/downloads_a_month: ${line}`);
    continue;
  }
  const name = cells[nameColumn];
  const downloads = Number.parseInt(cells[downloadsColumn] ?? '', 10);
  if (!name || !VALID_NAME.test(name) || !Number.isFinite(downloads)) {
    skipped++;
    continue;
  }
  rows.push([name, downloads]);
}
rows.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
const kept = rows.slice(0, top);
const listDate = statSync(values.input).mtime.toISOString().slice(0, 10);
const header = [
  '# mcp-guard popular npm package names: name<TAB>monthly downloads, most downloaded first.',
  `# source: npm registry download counts (package list file dated ${listDate}); built by scripts/build-popular-names.mjs`,
  `# count: ${kept.length} of ${rows.length} valid names (${skipped} rows skipped); minimum downloads kept: ${kept.at(-1)?.[1] ?? 0}`,
];
writeFileSync(values.out, `${header.join('\n')}\n${kept.map(([n, d]) => `${n}\t${d}`).join('\n')}\n`);
process.stderr.write(`wrote ${kept.length} names to ${values.out}\n`);
