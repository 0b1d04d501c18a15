import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../src/supply/data-dir.js';
import { levenshtein, osaDistance } from '../../src/supply/edit-distance.js';
import {
  buildPypiTyposquatIndex,
  buildTyposquatIndex,
  dataDigest,
  loadPypiTyposquatIndex,
  loadTyposquatIndex,
  normalizePypiName,
  parseRankedNames,
  parseKnownMcp,
  parsePopularNames,
  PREBUILT_INDEX_FILE,
  readPrebuilt,
} from '../../src/supply/typosquat.js';

const index = loadTyposquatIndex();

describe('typosquat index on the shipped data', () => {
  it('holds the popular list and the curated MCP packages', () => {
    expect(index.size).toBeGreaterThan(50_000);
    expect(index.downloadsOf('semver')).toBeGreaterThan(1_000_000_000);
    expect(index.downloadsOf('definitely-not-a-popular-package-name')).toBeUndefined();
  });

  // Real squats published on npm (several from the 2017 crossenv takedown) and textbook forms.
  it.each([
    ['crossenv', 'cross-env', 'delimiter-change'],
    ['nodesass', 'node-sass', 'delimiter-change'],
    ['mongose', 'mongoose', 'repeated-or-omitted-character'],
    ['expresss', 'express', 'repeated-or-omitted-character'],
    ['electorn', 'electron', 'transposition'],
    ['loadsh', 'lodash', 'transposition'],
    ['c0mmander', 'commander', 'homoglyph'],
    ['nodemailer.js', 'nodemailer', 'affix'],
    ['modelcontextprotocol-server-filesystem', '@modelcontextprotocol/server-filesystem', 'scope-confusion'],
    ['@modelcontextprotocol-server/filesystem', '@modelcontextprotocol/server-filesystem', 'fake-official-scope'],
    ['@modelcontextprotocol-server/notes', '@modelcontextprotocol', 'fake-official-scope'],
    ['@model-context-protocol/server-memory', '@modelcontextprotocol/server-memory', 'fake-official-scope'],
    ['@anthropic/mcpb', '@anthropic-ai/mcpb', 'fake-official-scope'],
    ['@anthropic/sdk', '@anthropic-ai/sdk', 'fake-official-scope'],
    ['@anthropic/claude-mcp-server', '@anthropic-ai', 'fake-official-scope'],
    ['@modelcontextprotocoi/sdk', '@modelcontextprotocol/sdk', 'fake-official-scope'],
    ['playwright-mcp', '@playwright/mcp', 'scope-confusion'],
  ])('flags %s as imitating %s (%s)', (name, target, technique) => {
    expect(index.check(name)).toMatchObject({ target, technique });
  });

  // Real, legitimate names that sit close to more popular ones.
  it.each([
    ['react-dnd', 'popular itself, not a squat of react-dom'],
    ['chai', 'popular itself, near chalk'],
    ['chalk', 'the popular original'],
    ['@types/nodes', 'same scope as @types/node: the scope owner published both'],
    ['@modelcontextprotocol/server-filesystem', 'the official package'],
    ['@modelcontextprotocol/server-gdrive', 'another official package'],
    ['@playwright/mcp', 'official'],
    ['@upstash/context7-mcp', 'known MCP package'],
    ['eslint-plugin-preact', 'a different word, one letter from eslint-plugin-react'],
    ['mcp-server-kubernetes', 'an unrelated community server'],
    ['firecrawl-mcp', 'known MCP package'],
    ['my-company-mcp-server', 'ordinary new name'],
    ['ms', 'short names only match look-alike forms'],
  ])('does not flag %s (%s)', (name) => {
    expect(index.check(name)).toBeUndefined();
  });

  it('weighs popularity: a popular name is only a squat of something far more popular', () => {
    const small = buildTyposquatIndex(
      [
        { name: 'react-dom', downloads: 100_000_000 },
        { name: 'react-dnd', downloads: 2_000_000 },
        { name: 'left-pad', downloads: 5_000_000 },
        { name: 'leftpad', downloads: 1_000 },
      ],
      { packages: [], scopes: [] },
    );
    expect(small.check('react-dnd')).toBeUndefined();
    expect(small.check('leftpad')).toMatchObject({ target: 'left-pad', technique: 'delimiter-change' });
    expect(small.check('left-pad')).toBeUndefined();
  });

  it('reads its data files', () => {
    expect(parsePopularNames('# header\nfoo\t12\nbar\t3\n')).toEqual([
      { name: 'foo', downloads: 12 },
      { name: 'bar', downloads: 3 },
    ]);
    expect(parseKnownMcp('# c\n@scope/\n@scope/pkg\nplain\n')).toEqual({ packages: ['@scope/pkg', 'plain'], scopes: ['scope'] });
  });
});

describe('edit distances', () => {
  function naive(a: string, b: string, transpositions: boolean): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
        if (transpositions && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
        d[i]![j] = v;
      }
    }
    return d[a.length]![b.length]!;
  }
  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-', '@', '/'), maxLength: 40 });

  it('Myers bit-parallel Levenshtein agrees with the textbook DP (short and long names)', () => {
    fc.assert(fc.property(word, word, (a, b) => levenshtein(a, b) === naive(a, b, false)), { numRuns: 2000 });
  });

  it('bounded distances cap at limit + 1', () => {
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 3 }), (a, b, limit) => {
        const exact = naive(a, b, false);
        return levenshtein(a, b, limit) === Math.min(exact, limit + 1);
      }),
      { numRuns: 1000 },
    );
  });

  it('the banded DP used for names over 32 characters agrees too, with and without a limit', () => {
    const long = fc.string({ unit: fc.constantFrom('a', 'b', '-'), minLength: 33, maxLength: 60 });
    const near = long.chain((a) =>
      fc.tuple(fc.constant(a), fc.array(fc.tuple(fc.nat(a.length), fc.constantFrom('a', 'b', '-', '')), { maxLength: 3 })).map(([s, edits]) => {
        let b = s;
        for (const [at, ch] of edits) b = b.slice(0, at) + ch + b.slice(at + 1);
        return [s, b] as const;
      }),
    );
    fc.assert(
      fc.property(near, fc.integer({ min: 0, max: 3 }), ([a, b], limit) => {
        const exact = naive(a, b, false);
        return levenshtein(a, b) === exact && levenshtein(a, b, limit) === Math.min(exact, limit + 1) && osaDistance(a, b, limit) === Math.min(naive(a, b, true), limit + 1);
      }),
      { numRuns: 500 },
    );
  });

  it('OSA counts an adjacent swap as one edit', () => {
    expect(osaDistance('lodash', 'loadsh')).toBe(1);
    expect(osaDistance('lodash', 'ldoahs')).toBe(2);
    expect(levenshtein('lodash', 'lodahs')).toBe(2);
    fc.assert(fc.property(word, word, (a, b) => osaDistance(a, b) === naive(a, b, true)), { numRuns: 1000 });
  });
});

describe('prebuilt key file', () => {
  it('is current for the committed data (regenerate with scripts/build-typosquat-index.mjs)', () => {
    const dir = defaultDataDir();
    const digest = dataDigest(readFileSync(`${dir}/popular-npm.txt`, 'utf8'), readFileSync(`${dir}/mcp-packages.txt`, 'utf8'));
    expect(readPrebuilt(`${dir}/${PREBUILT_INDEX_FILE}`, digest)).toBeDefined();
  });

  it('is refused for other data', () => {
    const dir = defaultDataDir();
    expect(readPrebuilt(`${dir}/${PREBUILT_INDEX_FILE}`, dataDigest('other\t1\n', ''))).toBeUndefined();
  });

  it('answers exactly like keys built at load time', () => {
    const dir = defaultDataDir();
    const popularText = readFileSync(`${dir}/popular-npm.txt`, 'utf8');
    const knownText = readFileSync(`${dir}/mcp-packages.txt`, 'utf8');
    const runtime = buildTyposquatIndex(parsePopularNames(popularText), parseKnownMcp(knownText));
    const names = parsePopularNames(popularText).map((p) => p.name);
    const probes: string[] = [];
    for (let i = 0; i < names.length; i += 499) {
      const n = names[i]!;
      probes.push(n, `${n.slice(0, 1)}${n.slice(2, 3)}${n.slice(1, 2)}${n.slice(3)}`, n.replace(/-/g, ''), `${n}s`);
    }
    for (const probe of probes) expect(index.check(probe)).toEqual(runtime.check(probe));
    // The probes must exercise matches, not only misses.
    expect(probes.filter((p) => index.check(p) !== undefined).length).toBeGreaterThan(20);
  });
});

describe('homoglyphs', () => {
  const small = buildTyposquatIndex(
    [
      { name: 'modern-normalize', downloads: 30_000_000 },
      { name: 'cld', downloads: 5_000_000 },
      { name: 'lodash', downloads: 400_000_000 },
    ],
    { packages: [], scopes: [] },
  );
  it.each([
    ['modem-normalize', 'modern-normalize'],
    ['l0dash', 'lodash'],
    ['1odash', 'lodash'],
  ])('%s imitates %s', (name, target) => {
    expect(small.check(name)).toMatchObject({ target, technique: 'homoglyph' });
  });
  it('does not pair names that merely share letter pairs', () => {
    expect(small.check('dcl')).toBeUndefined();
  });
});

describe('PyPI typosquats (rules/data/popular-pypi.txt, ranks)', () => {
  const pypi = loadPypiTyposquatIndex();

  it.each([
    ['reqeusts', 'requests', 'transposition'],
    ['requestss', 'requests', 'repeated-or-omitted-character'],
    ['colourama', 'colorama', 'edit-distance'],
    ['pandsa', 'pandas', 'transposition'],
    ['mcpserverfetch', 'mcp-server-fetch', 'delimiter-change'],
    ['mcp-sever-fetch', 'mcp-server-fetch', 'edit-distance'],
    ['fastmpc', 'fastmcp', 'transposition'],
  ])('flags %s as imitating %s (%s)', (name, target, technique) => {
    expect(pypi.check(normalizePypiName(name))).toMatchObject({ target, technique });
  });

  it.each(['requests', 'boto3', 'botocore', 'mcp', 'fastmcp', 'mcp-server-fetch', 'mcp_server_fetch', 'Mcp.Server.Time', 'awslabs.aws-documentation-mcp-server', 'python-dateutil', 'ocl'])(
    'does not flag %s',
    (name) => {
      expect(pypi.check(normalizePypiName(name))).toBeUndefined();
    },
  );

  it('reports ranks, not download counts', () => {
    const match = pypi.check('reqeusts');
    expect(match?.targetRank).toBeGreaterThan(0);
    expect(match?.targetDownloads).toBeUndefined();
  });

  it('normalizes names as PyPI does (PEP 503)', () => {
    expect(normalizePypiName('Foo__Bar.baz-Qux')).toBe('foo-bar-baz-qux');
    expect(parseRankedNames('# h\nboto3\t1\nnumpy\t20\n')).toEqual([
      { name: 'boto3', rank: 1 },
      { name: 'numpy', rank: 20 },
    ]);
    const small = buildPypiTyposquatIndex([{ name: 'Some_Package', rank: 5 }], []);
    expect(small.check('somepackage')).toMatchObject({ target: 'some-package', targetRank: 5 });
  });
});
