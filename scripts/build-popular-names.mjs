#!/usr/bin/env node
// Builds the popular-name lists the typosquat checks compare against (src/supply/typosquat.ts):
//
//   node scripts/build-popular-names.mjs [--input npm.tsv] [--top 50000] [--out rules/data/popular-npm.txt]
//   node scripts/build-popular-names.mjs --ecosystem pypi [--input pypi.tsv] [--out rules/data/popular-pypi.txt]
//
// npm input: a TSV whose header names `name` and `downloads_a_month`; output `name<TAB>downloads`,
// most downloaded first. PyPI input: a TSV whose header names `name` and
// `rank_among_15000_most_downloaded`; output `name<TAB>rank` (PEP 503-normalized names), best first.
// Both outputs start with `#` header lines naming source, date and count.
import { createReadStream, statSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    ecosystem: { type: 'string', default: 'npm' },
    input: { type: 'string' },
    top: { type: 'string', default: '50000' },
    out: { type: 'string' },
  },
});
const pypi = values.ecosystem === 'pypi';
if (!pypi && values.ecosystem !== 'npm') throw new Error(`--ecosystem must be npm or pypi, got ${values.ecosystem}`);
const input = values.input ?? `/work/.library/env/packages/${pypi ? 'pypi' : 'npm'}.tsv`;
const out = values.out ?? new URL(`../rules/data/popular-${pypi ? 'pypi' : 'npm'}.txt`, import.meta.url).pathname;
const top = Number.parseInt(values.top, 10);
if (!Number.isInteger(top) || top <= 0) throw new Error(`--top must be a positive integer, got ${values.top}`);

// npm names: lower-case, url-safe, optional scope. PyPI names: letters, digits and . _ - (PEP 508).
const VALID_NAME = pypi ? /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/ : /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const METRIC = pypi ? 'rank_among_15000_most_downloaded' : 'downloads_a_month';

const lines = createInterface({ input: createReadStream(input), crlfDelay: Infinity });
let nameColumn = -1;
let metricColumn = -1;
const rows = [];
const seen = new Set();
let skipped = 0;
for await (const line of lines) {
  const cells = line.split('\t');
  if (nameColumn < 0) {
    nameColumn = cells.indexOf('name');
    metricColumn = cells.indexOf(METRIC);
    if (nameColumn < 0 || metricColumn < 0) throw new Error(`header lacks name/${METRIC}: ${line}`);
    continue;
  }
  const raw = cells[nameColumn];
  const metric = Number.parseInt(cells[metricColumn] ?? '', 10);
  if (pypi && !Number.isFinite(metric)) continue; // outside the ranked set: not popular
  if (!raw || !VALID_NAME.test(raw) || !Number.isFinite(metric)) {
    skipped++;
    continue;
  }
  const name = pypi ? raw.toLowerCase().replace(/[-_.]+/g, '-') : raw;
  if (seen.has(name)) continue;
  seen.add(name);
  rows.push([name, metric]);
}
rows.sort((a, b) => (pypi ? a[1] - b[1] : b[1] - a[1]) || (a[0] < b[0] ? -1 : 1));
const kept = rows.slice(0, top);
const listDate = statSync(input).mtime.toISOString().slice(0, 10);
const header = pypi
  ? [
      '# mcp-guard popular PyPI project names: name<TAB>download rank (1 = most downloaded), PEP 503-normalized.',
      `# source: PyPI download ranking of the 15,000 most downloaded projects (package list file dated ${listDate}); built by scripts/build-popular-names.mjs --ecosystem pypi`,
      `# count: ${kept.length} ranked names (${skipped} rows skipped)`,
    ]
  : [
      '# mcp-guard popular npm package names: name<TAB>monthly downloads, most downloaded first.',
      `# source: npm registry download counts (package list file dated ${listDate}); built by scripts/build-popular-names.mjs`,
      `# count: ${kept.length} of ${rows.length} valid names (${skipped} rows skipped); minimum downloads kept: ${kept.at(-1)?.[1] ?? 0}`,
    ];
writeFileSync(out, `${header.join('\n')}\n${kept.map(([n, d]) => `${n}\t${d}`).join('\n')}\n`);
process.stderr.write(`wrote ${kept.length} names to ${out}\n`);
