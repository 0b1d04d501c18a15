// Typosquat detection against popular npm names and known MCP packages (design §5).
//
// The index never scans the whole list per query. Edit-distance candidates come from a partition
// (pigeonhole) index: a name within distance k of the query, split into k+1 pieces, keeps at least
// one piece intact, at most k positions away; so a query probes a few dozen piece keys (per candidate
// length, piece and shift) and verifies the few candidates with a bit-parallel edit distance.
// Look-alike rewrites (delimiters, homoglyphs, word order, scope flattening, affixes) are exact keys of
// normal forms. All keys are 32-bit hashes; rules/data/typosquat-index.bin holds them sorted, so a scan
// reads them instead of hashing 50k names (and builds them itself when that file is stale).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defaultDataDir } from './data-dir.js';
import { levenshtein, osaDistance } from './edit-distance.js';

export type TyposquatTechnique =
  | 'edit-distance'
  | 'transposition'
  | 'repeated-or-omitted-character'
  | 'homoglyph'
  | 'delimiter-change'
  | 'word-order'
  | 'scope-confusion'
  | 'fake-official-scope'
  | 'affix';

export interface TyposquatMatch {
  /** The package (or scope, for scope techniques) being imitated. */
  target: string;
  technique: TyposquatTechnique;
  /** Monthly downloads of the target, when it is in the popular list (npm). */
  targetDownloads?: number;
  /** Download rank of the target among the most downloaded projects (PyPI). */
  targetRank?: number;
  /** Edit distance between the names, for the edit-distance techniques. */
  distance?: number;
  /** The target is a known MCP package or an official scope (raises severity). */
  official: boolean;
  /** How sure we are this is an imitation rather than a coincidence. */
  confidence: 'low' | 'medium' | 'high';
}

export interface PopularName {
  name: string;
  downloads: number;
}

export interface KnownMcpData {
  packages: string[];
  /** Official scopes without `@` and `/`, e.g. `modelcontextprotocol`. */
  scopes: string[];
}

export interface TyposquatIndex {
  readonly size: number;
  /** Monthly downloads of a popular name, or undefined. */
  downloadsOf(name: string): number | undefined;
  check(name: string): TyposquatMatch | undefined;
}

// Gates that keep the check useful rather than noisy, tuned on the real names of the npm list: of the
// 177k names outside the popular set, 1.1% are flagged (test/supply/typosquat.test.ts keeps samples
// of real squats and of real names that must pass).
/** A query that is itself popular is only a squat of something this many times more popular. */
const POPULAR_GAP = 1000;
/** Techniques strong enough to flag a query that is itself in the popular list. */
const STRONG_TECHNIQUES = new Set<TyposquatTechnique>(['homoglyph', 'delimiter-change', 'repeated-or-omitted-character', 'transposition']);
/** Minimum monthly downloads of the imitated package, per technique, when the query is unknown. */
const MIN_TARGET_DOWNLOADS: Record<TyposquatTechnique, number> = {
  homoglyph: 100_000,
  'delimiter-change': 100_000,
  'repeated-or-omitted-character': 1_000_000,
  transposition: 1_000_000,
  'scope-confusion': 1_000_000,
  'fake-official-scope': 0,
  'edit-distance': 10_000_000,
  'word-order': 10_000_000,
  affix: 10_000_000,
};
/** The lowest of the edit-distance techniques' minimums above. */
const MIN_EDIT_TARGET = 1_000_000;
/** Plain distance-2 edits only count against the very most used packages. */
const MIN_TARGET_DISTANCE_2 = 100_000_000;

/** Largest edit distance accepted against a target name of `length` characters (scope included). */
export function maxDistanceFor(length: number): number {
  if (length <= 4) return 0;
  if (length <= 8) return 1;
  return 2;
}

/**
 * Piece geometry of the partition index for names of `length` characters: the pieces each name is
 * indexed under, and how far an intact piece may have shifted in a query. Distance-2 names use three
 * pieces. Distance-1 names use two halves, twice, with the cut one character apart: a transposition
 * (two edits for Levenshtein) that straddles one cut sits inside a half of the other partition.
 * Short names are not split at all (their pieces would be a letter or two, matching everything).
 */
interface PieceLayout {
  shift: number;
  pieces: Array<[start: number, end: number]>;
}

const layouts: Array<PieceLayout | null> = [];

function pieceLayout(length: number): PieceLayout | null {
  let layout = layouts[length];
  if (layout !== undefined) return layout;
  if (length <= 4) layout = null;
  else if (length <= 8) {
    const a = length >> 1;
    layout = { shift: 1, pieces: [[0, a], [a, length], [0, a + 1], [a + 1, length]] };
  } else {
    const a = Math.floor(length / 3);
    const b = Math.floor((2 * length) / 3);
    layout = { shift: 2, pieces: [[0, a], [a, b], [b, length]] };
  }
  layouts[length] = layout;
  return layout;
}

const KIND_PIECE = 0x9e3779b1;
const KIND_DELIMITERLESS = 0x85ebca77;
const KIND_SKELETON = 0xc2b2ae3d;
const KIND_WORDS = 0x27d4eb2f;
const KIND_AFFIXLESS = 0x165667b1;
const KIND_EXACT = 0xd3a2646c;
const KIND_SCOPE = 0x7feb352d;
const WORDS_PENDING = '\u0000words';

function hashString(seed: number, s: string, start = 0, end = s.length): number {
  let h = seed >>> 0;
  for (let i = start; i < end; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

function pieceSeed(length: number, piece: number): number {
  return (KIND_PIECE ^ Math.imul(length + 1, 0x5bd1e995) ^ Math.imul(piece + 1, 0x1b873593)) >>> 0;
}

interface KeyLookup {
  forEach(key: number, visit: (value: number) => void): void;
}

/** Sorted (key, value) pairs: the prebuilt form, searched in place without any build step. */
class SortedKeys implements KeyLookup {
  /** Where each value of a key's top 16 bits starts: narrows a search to a handful of entries. */
  private readonly starts = new Uint32Array(65537);

  constructor(
    private readonly keys: Uint32Array,
    private readonly values: Int32Array,
  ) {
    let e = 0;
    for (let bucket = 0; bucket <= 65536; bucket++) {
      while (e < keys.length && keys[e]! >>> 16 < bucket) e++;
      this.starts[bucket] = e;
    }
  }

  forEach(key: number, visit: (value: number) => void): void {
    const bucket = key >>> 16;
    let lo = this.starts[bucket]!;
    let hi = this.starts[bucket + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    for (let e = lo; e < this.keys.length && this.keys[e] === key; e++) visit(this.values[e]!);
  }
}

/** A multimap from 32-bit keys to name indexes, in flat typed arrays. */
class KeyTable implements KeyLookup {
  private readonly heads: Int32Array;
  private readonly mask: number;
  private keys: Uint32Array;
  private values: Int32Array;
  private next: Int32Array;
  private count = 0;

  constructor(expected: number) {
    let size = 1;
    while (size < expected * 2) size <<= 1;
    this.heads = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    this.keys = new Uint32Array(expected);
    this.values = new Int32Array(expected);
    this.next = new Int32Array(expected);
  }

  add(key: number, value: number): void {
    if (this.count === this.keys.length) this.grow();
    const e = this.count++;
    const slot = key & this.mask;
    this.keys[e] = key;
    this.values[e] = value;
    this.next[e] = this.heads[slot]!;
    this.heads[slot] = e;
  }

  forEach(key: number, visit: (value: number) => void): void {
    for (let e = this.heads[key & this.mask]!; e >= 0; e = this.next[e]!) {
      if (this.keys[e] === key) visit(this.values[e]!);
    }
  }

  /** All pairs sorted by key (then value), for the prebuilt index file. */
  sorted(): { keys: Uint32Array; values: Int32Array } {
    const order = Array.from({ length: this.count }, (_, i) => i);
    order.sort((a, b) => this.keys[a]! - this.keys[b]! || this.values[a]! - this.values[b]!);
    const keys = new Uint32Array(this.count);
    const values = new Int32Array(this.count);
    order.forEach((e, i) => {
      keys[i] = this.keys[e]!;
      values[i] = this.values[e]!;
    });
    return { keys, values };
  }

  private grow(): void {
    const n = this.keys.length * 2 || 16;
    const keys = new Uint32Array(n);
    keys.set(this.keys);
    const values = new Int32Array(n);
    values.set(this.values);
    const next = new Int32Array(n);
    next.set(this.next);
    this.keys = keys;
    this.values = values;
    this.next = next;
  }
}

interface SplitName {
  scope: string | undefined;
  bare: string;
}

function splitName(name: string): SplitName {
  if (name.startsWith('@')) {
    const slash = name.indexOf('/');
    if (slash > 1) return { scope: name.slice(1, slash), bare: name.slice(slash + 1) };
  }
  return { scope: undefined, bare: name };
}

function isDelimiter(code: number): boolean {
  // - . / @ _
  return code === 45 || code === 46 || code === 47 || code === 64 || code === 95;
}

function stripDelimiters(s: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    if (isDelimiter(s.charCodeAt(i))) {
      out += s.slice(last, i);
      last = i + 1;
    }
  }
  return last === 0 ? s : out + s.slice(last);
}

// Characters people confuse when reading a lower-case name: digits for letters and multi-letter
// look-alikes. (Upper-case I/l confusion does not apply: npm names are lower-case.)
const GLYPHS: Record<string, string> = { '0': 'o', '1': 'l', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', $: 's', '!': 'l', '|': 'l', rn: 'm', vv: 'w', cl: 'd' };
const GLYPH_PATTERN = /rn|vv|cl|[01345789$!|]/g;

function skeleton(s: string): string {
  let src = s;
  if (!/^[\x00-\x7f]*$/.test(src)) src = src.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return src.replace(GLYPH_PATTERN, (m) => GLYPHS[m] ?? m);
}

/**
 * Equal skeletons are a look-alike only when the query really uses a look-alike: a digit or symbol
 * for a letter, a non-ASCII letter, or a pair for one letter (`rn`/`m`, which changes the length).
 * `dcl` and `cld` share a skeleton through two real `cl`s; neither imitates the other.
 */
function isGlyphSwap(query: string, target: string): boolean {
  // Two- to four-letter names collide through letter pairs by chance (`od`, `ocl`).
  if (Math.min(query.length, target.length) < 5) return /[0-9$!|]|[^\x00-\x7f]/.test(query) && query.length === target.length;
  return query.length !== target.length || /[0-9$!|]|[^\x00-\x7f]/.test(query);
}

function collapseRepeats(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) if (i === 0 || s.charCodeAt(i) !== s.charCodeAt(i - 1)) out += s[i];
  return out;
}

function wordsKey(s: string): string {
  const words: string[] = [];
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    if (i === s.length || isDelimiter(s.charCodeAt(i))) {
      if (i > start) words.push(s.slice(start, i));
      start = i + 1;
    }
  }
  if (words.length < 2) return '';
  return words.sort().join('-');
}

const AFFIXES = /^(?:node-|js-)|(?:-js|\.js|js|-node)$/g;
const AFFIX_TEST = /^(?:node-|js-)|(?:-js|\.js|js|-node)$/;
// Anything skeleton() would change: a digit or symbol look-alike, a letter pair, or non-ASCII.
const GLYPH_TEST = /rn|vv|cl|[01345789$!|]|[^\x00-\x7f]/;

/** hashString(KIND_DELIMITERLESS, stripDelimiters(s)), or 0 when `s` has no delimiter to strip. */
function delimiterlessHash(s: string): number {
  let h = KIND_DELIMITERLESS >>> 0;
  let stripped = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDelimiter(c)) {
      stripped = true;
      continue;
    }
    h ^= c;
    h = Math.imul(h, 0x01000193);
  }
  if (!stripped) return 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

/** An order-independent hash of the words of `s` (0 for fewer than two), so `b-a` meets `a-b`. */
function wordsHash(s: string): number {
  let sum = 0;
  let xor = 0;
  let count = 0;
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    if (i === s.length || isDelimiter(s.charCodeAt(i))) {
      if (i > start) {
        const h = hashString(KIND_WORDS, s, start, i);
        sum = (sum + h) >>> 0;
        xor = (xor ^ Math.imul(h, 0x85ebca6b)) >>> 0;
        count++;
      }
      start = i + 1;
    }
  }
  if (count < 2) return 0;
  return (hashString(KIND_WORDS ^ count, String.fromCharCode(sum & 0xffff, sum >>> 16, xor & 0xffff, xor >>> 16)) || 1) >>> 0;
}

function affixless(s: string): string {
  return s.replace(AFFIXES, '');
}

/** Sorted lookup keys from {@link prebuildTyposquatKeys}, for the same names in the same order. */
export interface PrebuiltKeys {
  keys: Uint32Array;
  values: Int32Array;
}

export function buildTyposquatIndex(popular: PopularName[], known: KnownMcpData, prebuilt?: PrebuiltKeys): TyposquatIndex {
  const names = popular.map((p) => p.name);
  const downloads = new Float64Array(names.length + known.packages.length);
  popular.forEach((p, i) => (downloads[i] = p.downloads));
  names.push(...known.packages);
  return indexFromNames(names, downloads, popular.length, known, prebuilt);
}

export interface RankedName {
  name: string;
  /** 1 = most downloaded. */
  rank: number;
}

/**
 * Downloads follow Zipf's law closely enough (the k-th most downloaded project gets about 1/k of the
 * first's downloads) that a rank maps onto the download gates above; ~1e9 a month is the order of
 * the top PyPI project's downloads.
 */
const ZIPF_TOP_DOWNLOADS = 1e9;

/** PyPI: the reference list gives ranks, not counts; names are PEP 503-normalized first. */
export function buildPypiTyposquatIndex(ranked: RankedName[], known: string[]): TyposquatIndex {
  const popular = ranked.map((r) => ({ name: normalizePypiName(r.name), downloads: Math.round(ZIPF_TOP_DOWNLOADS / Math.max(1, r.rank)) }));
  const names = popular.map((p) => p.name);
  const downloads = new Float64Array(names.length + known.length);
  popular.forEach((p, i) => (downloads[i] = p.downloads));
  names.push(...known.map(normalizePypiName));
  return indexFromNames(names, downloads, popular.length, { packages: known.map(normalizePypiName), scopes: [] }, undefined, true);
}

/** PEP 503: PyPI treats `Foo.Bar`, `foo_bar` and `foo-bar` as one project. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * `names` is the popular names (the first `popularCount`, with their downloads) followed by the known
 * MCP packages; a name may appear in both parts. Exact lookups go through the key table too, so no
 * 50k-entry Map is built per process.
 */
function indexFromNames(names: string[], downloads: Float64Array, popularCount: number, known: KnownMcpData, prebuilt?: PrebuiltKeys, ranked = false): TyposquatIndex {
  const officialScopes = new Set(known.scopes);
  const official = new Uint8Array(names.length);
  official.fill(1, popularCount);
  for (let i = 0; i < popularCount; i++) {
    const name = names[i]!;
    if (name.charCodeAt(0) !== 64) continue;
    const slash = name.indexOf('/');
    if (slash > 1 && officialScopes.has(name.slice(1, slash))) official[i] = 1;
  }
  const table: KeyLookup = prebuilt ? new SortedKeys(prebuilt.keys, prebuilt.values) : indexKeys(names, downloads, popularCount, known);
  // A popular entry of a known MCP package is official too (found through the table: no 50k-name Set).
  for (let i = popularCount; i < names.length; i++) {
    table.forEach(hashString(KIND_EXACT, names[i]!), (j) => {
      if (names[j] === names[i]) official[j] = 1;
    });
  }
  // Scopes that own a popular package are established: look-alike scope checks skip them. Each scoped
  // popular name carries a scope key, so this is one lookup rather than a pass over the list.
  const isEstablishedScope = (scope: string): boolean => {
    let found = false;
    const prefix = `@${scope}/`;
    table.forEach(hashString(KIND_SCOPE, scope), (i) => {
      if (i < popularCount && names[i]!.startsWith(prefix)) found = true;
    });
    return found;
  };
  return makeIndex(names, downloads, official, officialScopes, isEstablishedScope, table, ranked);
}

/** Every lookup key of every name: partition pieces and normal forms. */
/**
 * Every lookup key of every name. Edit-distance pieces are kept only for names popular enough to be
 * flagged by an edit (see MIN_EDIT_TARGET) and for known MCP packages (`downloads` 0 past the popular
 * part): the rest could never pass the gate, and leaving them out keeps the piece buckets small.
 */
function indexKeys(names: readonly string[], downloads: ArrayLike<number>, popularCount: number, known: KnownMcpData): KeyTable {
  const table = new KeyTable(names.length * 4);
  const knownNames = new Set(known.packages);
  const officialScopes = new Set(known.scopes);
  const isOfficial = (name: string): boolean => knownNames.has(name) || (name.startsWith('@') && officialScopes.has(splitName(name).scope ?? ''));
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const layout = downloads[i]! >= MIN_EDIT_TARGET || i >= popularCount || isOfficial(name) ? pieceLayout(name.length) : null;
    if (layout) {
      layout.pieces.forEach(([start, end], j) => table.add(hashString(pieceSeed(name.length, j), name, start, end), i));
    }
    table.add(hashString(KIND_EXACT, name), i);
    if (i < popularCount && name.charCodeAt(0) === 64) {
      const slash = name.indexOf('/');
      if (slash > 1) table.add(hashString(KIND_SCOPE, name, 1, slash), i);
    }
    // Normal forms equal to the name itself are found through the exact key at query time instead.
    // Hashed without building the normal-form strings: this loop runs 50k times per process.
    const flat = delimiterlessHash(name);
    if (flat !== 0) table.add(flat, i);
    if (GLYPH_TEST.test(name)) table.add(hashString(KIND_SKELETON, skeleton(name)), i);
    const words = wordsHash(name);
    if (words !== 0) table.add(words, i);
    if (AFFIX_TEST.test(name)) {
      const bare = affixless(name);
      if (bare.length >= 3) table.add(hashString(KIND_AFFIXLESS, bare), i);
    }
  }
  return table;
}

function makeIndex(
  names: readonly string[],
  downloads: Float64Array,
  official: Uint8Array,
  officialScopes: ReadonlySet<string>,
  isEstablishedScope: (scope: string) => boolean,
  table: KeyLookup,
  ranked: boolean,
): TyposquatIndex {
  /** Index of `name` (its popular entry when it has one), or undefined. */
  function lookupExact(name: string): number | undefined {
    let found: number | undefined;
    table.forEach(hashString(KIND_EXACT, name), (i) => {
      if (names[i] === name && (found === undefined || i < found)) found = i;
    });
    return found;
  }

  const officialScopeList = [...officialScopes].map((scope) => {
    const flat = stripDelimiters(scope);
    return { scope, flat, skeleton: skeleton(flat) };
  });

  function candidatesByDistance(query: string, visit: (index: number) => void): void {
    const L = query.length;
    for (let m = Math.max(1, L - 2); m <= L + 2; m++) {
      const layout = pieceLayout(m);
      if (!layout || Math.abs(L - m) > layout.shift) continue;
      const k = layout.shift;
      for (let j = 0; j < layout.pieces.length; j++) {
        const [start, end] = layout.pieces[j]!;
        const seed = pieceSeed(m, j);
        for (let delta = -k; delta <= k; delta++) {
          const qs = start + delta;
          const qe = end + delta;
          if (qs < 0 || qe > L) continue;
          table.forEach(hashString(seed, query, qs, qe), visit);
        }
      }
    }
  }

  function classifyEdit(query: string, target: string, distance: number): TyposquatTechnique {
    if (collapseRepeats(query) === collapseRepeats(target)) return 'repeated-or-omitted-character';
    if (distance === 2 && osaDistance(query, target, 1) === 1) return 'transposition';
    if (skeleton(query) === skeleton(target) && isGlyphSwap(query, target)) return 'homoglyph';
    return 'edit-distance';
  }

  /**
   * `eslint-plugin-preact` is one edit from `eslint-plugin-react`, but the word that differs is itself
   * a package name: a compound naming another project, not a slip of the finger.
   */
  function swapsInKnownWord(query: string, target: string): boolean {
    const q = query.split(/[-_./@]+/);
    const t = target.split(/[-_./@]+/);
    if (q.length < 2 || q.length !== t.length) return false;
    const differing = q.filter((word, i) => word !== t[i]);
    return differing.length === 1 && lookupExact(differing[0]!) !== undefined;
  }

  function isGatedOut(queryDownloads: number | undefined, targetIndex: number, technique: TyposquatTechnique, distance: number | undefined): boolean {
    const target = downloads[targetIndex]!;
    if (queryDownloads !== undefined) return !STRONG_TECHNIQUES.has(technique) || target < queryDownloads * POPULAR_GAP;
    if (official[targetIndex]) return false;
    const min = technique === 'edit-distance' && distance === 2 ? MIN_TARGET_DISTANCE_2 : MIN_TARGET_DOWNLOADS[technique];
    return target < min;
  }

  function better(a: TyposquatMatch | undefined, b: TyposquatMatch): TyposquatMatch {
    if (!a) return b;
    if (a.official !== b.official) return a.official ? a : b;
    return (b.targetDownloads ?? 0) > (a.targetDownloads ?? 0) ? b : a;
  }

  function matchFor(index: number, technique: TyposquatTechnique, confidence: TyposquatMatch['confidence'], distance?: number): TyposquatMatch {
    const match: TyposquatMatch = { target: names[index]!, technique, official: official[index] === 1, confidence };
    if (downloads[index]! > 0 && ranked) match.targetRank = Math.round(ZIPF_TOP_DOWNLOADS / downloads[index]!);
    else if (downloads[index]! > 0) match.targetDownloads = downloads[index]!;
    if (distance !== undefined) match.distance = distance;
    return match;
  }

  function sameOwner(query: SplitName, targetName: string): boolean {
    // One scope owner publishes both names: nobody else can squat inside a scope.
    const target = splitName(targetName);
    return query.scope !== undefined && query.scope === target.scope;
  }

  function checkScope(query: SplitName): TyposquatMatch | undefined {
    if (!query.scope || officialScopes.has(query.scope) || isEstablishedScope(query.scope)) return undefined;
    const s = stripDelimiters(query.scope);
    const sSkeleton = skeleton(s);
    for (const { scope: o, flat: os, skeleton: osSkeleton } of officialScopeList) {
      const exact = s === os || sSkeleton === osSkeleton || (os.length >= 6 && levenshtein(s, os, 1) <= 1);
      // `@anthropic` for `@anthropic-ai`, `@modelcontextprotocol-server` for `@modelcontextprotocol`:
      // one name is the other plus a short word. Longer extensions are usually unrelated projects.
      const extended = os.length >= 6 && s.length >= 6 && Math.abs(s.length - os.length) <= 6 && (s.startsWith(os) || os.startsWith(s));
      if (exact || extended) {
        // Name the package itself when the official scope has one by this name (or its `server-` form).
        const extra = s.startsWith(os) ? query.scope.slice(query.scope.length - (s.length - os.length)).replace(/^[-_.]/, '') : '';
        for (const candidate of [`@${o}/${query.bare}`, `@${o}/${extra}-${query.bare}`, `@${o}/server-${query.bare}`]) {
          const known = lookupExact(candidate);
          if (known !== undefined) return matchFor(known, 'fake-official-scope', 'high');
        }
        return { target: `@${o}`, technique: 'fake-official-scope', official: true, confidence: exact ? 'high' : 'medium' };
      }
    }
    return undefined;
  }

  function checkUnscopedOfficialPrefix(query: SplitName): TyposquatMatch | undefined {
    // `modelcontextprotocol-server-x` dresses an unscoped name as the official scope.
    if (query.scope) return undefined;
    const flat = stripDelimiters(query.bare);
    for (const { scope: o, flat: os } of officialScopeList) {
      if (os.length >= 10 && flat.startsWith(os) && flat.length > os.length) {
        return { target: `@${o}`, technique: 'scope-confusion', official: true, confidence: 'medium' };
      }
    }
    return undefined;
  }

  function checkMcpServerPattern(query: SplitName): TyposquatMatch | undefined {
    // `mcp-server-x` / `x-mcp-server` against the official `@modelcontextprotocol/server-x`.
    if (query.scope === 'modelcontextprotocol') return undefined;
    const m = /^(?:mcp-server-|server-|mcp-)([a-z0-9-]+?)$|^([a-z0-9-]+?)(?:-mcp-server|-server-mcp|-mcp)$/.exec(query.bare);
    const suffix = m?.[1];
    if (!suffix) return undefined;
    const official = lookupExact(`@modelcontextprotocol/server-${suffix}`);
    if (official === undefined) return undefined;
    return matchFor(official, 'scope-confusion', 'low');
  }

  return {
    size: names.length,
    downloadsOf(name: string): number | undefined {
      const i = lookupExact(name);
      return i === undefined || downloads[i] === 0 ? undefined : downloads[i];
    },
    check(rawName: string): TyposquatMatch | undefined {
      const name = rawName.toLowerCase();
      const selfIndex = lookupExact(name);
      if (selfIndex !== undefined && official[selfIndex]) return undefined;
      const queryDownloads = selfIndex !== undefined ? downloads[selfIndex] : undefined;
      const query = splitName(name);
      let best: TyposquatMatch | undefined;
      if (queryDownloads === undefined) {
        const scoped = checkScope(query);
        if (scoped) return scoped;
      }

      const seen = new Set<number>();
      const consider = (index: number, technique: TyposquatTechnique, confidence: TyposquatMatch['confidence'], distance?: number): void => {
        if (index === selfIndex || sameOwner(query, names[index]!)) return;
        if (isGatedOut(queryDownloads, index, technique, distance)) return;
        best = better(best, matchFor(index, technique, confidence, distance));
      };

      const flatName = stripDelimiters(name);
      const normalForms: Array<[number, string, TyposquatTechnique, number]> = [
        [KIND_DELIMITERLESS, flatName, query.scope ? 'scope-confusion' : 'delimiter-change', hashString(KIND_DELIMITERLESS, flatName)],
        [KIND_SKELETON, skeleton(name), 'homoglyph', 0],
        // The sorted-words string is only built when the order-free hash finds a candidate.
        [KIND_WORDS, wordsHash(name) === 0 ? '' : WORDS_PENDING, 'word-order', wordsHash(name)],
        [KIND_AFFIXLESS, affixless(name), 'affix', 0],
      ];
      let queryWords: string | undefined;
      for (const [kind, form, technique, precomputed] of normalForms) {
        if (!form || (kind === KIND_AFFIXLESS && form === name)) continue;
        const visit = (index: number): void => {
          const target = names[index]!;
          if (target === name) return;
          let t = technique;
          if (kind === KIND_DELIMITERLESS && splitName(target).scope === query.scope) t = 'delimiter-change';
          else if (kind === KIND_DELIMITERLESS) t = 'scope-confusion';
          // Verify: hashes may collide, and the forms must really coincide.
          const ok =
            (kind === KIND_DELIMITERLESS && stripDelimiters(target) === form) ||
            (kind === KIND_SKELETON && skeleton(target) === form && isGlyphSwap(name, target)) ||
            (kind === KIND_WORDS && wordsKey(target) === (queryWords ??= wordsKey(name))) ||
            (kind === KIND_AFFIXLESS && (target === form || affixless(target) === form) && target !== name);
          if (!ok) return;
          seen.add(index);
          // Flattened scopes (`babel-core` for `@babel/core`) are also how many packages were named before
          // scopes existed: a strong hint, not proof.
          consider(index, t, kind === KIND_AFFIXLESS || kind === KIND_WORDS || t === 'scope-confusion' ? 'medium' : 'high');
        };
        table.forEach(precomputed !== 0 ? precomputed : hashString(kind, form), visit);
        const exact = kind === KIND_WORDS ? undefined : lookupExact(form);
        if (exact !== undefined && form !== name) visit(exact);
      }

      // The cheapest gate first: most candidates are far less popular than any technique requires.
      const floor = queryDownloads !== undefined ? queryDownloads * POPULAR_GAP : MIN_EDIT_TARGET;
      candidatesByDistance(name, (index) => {
        if (downloads[index]! < floor && !official[index]) return;
        if (seen.has(index)) return;
        seen.add(index);
        const target = names[index]!;
        const k = maxDistanceFor(target.length);
        if (k === 0) return;
        const d = levenshtein(name, target, 2);
        if (d === 0 || d > 2) return;
        const technique = classifyEdit(name, target, d);
        const effective = technique === 'transposition' ? 1 : d;
        if (effective > k) return;
        if (technique === 'edit-distance' && swapsInKnownWord(name, target)) return;
        consider(index, technique, effective === 1 ? 'high' : 'medium', technique === 'transposition' ? 1 : d);
      });

      if (best) return best;
      if (queryDownloads !== undefined) return undefined;
      return checkUnscopedOfficialPrefix(query) ?? checkMcpServerPattern(query);
    },
  };
}

// ── data files ──────────────────────────────────────────────────────────────


export function parsePopularNames(text: string): PopularName[] {
  const out: PopularName[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    out.push({ name: line.slice(0, tab), downloads: Number(line.slice(tab + 1)) });
  }
  return out;
}

export function parseKnownMcp(text: string): KnownMcpData {
  const packages: string[] = [];
  const scopes: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('@') && line.endsWith('/')) scopes.push(line.slice(1, -1));
    else packages.push(line);
  }
  return { packages, scopes };
}

const loaded = new Map<string, TyposquatIndex>();

export const PREBUILT_INDEX_FILE = 'typosquat-index.bin';
const PREBUILT_MAGIC = 0x4d475449; // "MGTI"
const PREBUILT_VERSION = 6;
const PREBUILT_HEADER_BYTES = 48;

/** Identifies the data a prebuilt index was made from: it is used only for exactly that data. */
export function dataDigest(popularText: string, knownText: string): Buffer {
  return createHash('sha256').update(popularText).update('\u0000').update(knownText).update(`\u0000v${PREBUILT_VERSION}`).digest();
}

/**
 * The sorted key file for rules/data/typosquat-index.bin (scripts/build-typosquat-index.mjs): a
 * 48-byte header (magic, version, pair count, name count, sha256 of the source texts), then the keys
 * and the name indexes as little-endian 32-bit arrays.
 */
export function prebuildTyposquatKeys(popularText: string, knownText: string): Buffer {
  const popular = parsePopularInto(popularText);
  const known = parseKnownMcp(knownText);
  const names = [...popular.names, ...known.packages];
  const { keys, values } = indexKeys(names, popular.downloads, popular.names.length, known).sorted();
  const header = Buffer.alloc(PREBUILT_HEADER_BYTES);
  header.writeUInt32LE(PREBUILT_MAGIC, 0);
  header.writeUInt32LE(PREBUILT_VERSION, 4);
  header.writeUInt32LE(keys.length, 8);
  header.writeUInt32LE(names.length, 12);
  dataDigest(popularText, knownText).copy(header, 16);
  return Buffer.concat([header, Buffer.from(keys.buffer, keys.byteOffset, keys.byteLength), Buffer.from(values.buffer, values.byteOffset, values.byteLength)]);
}

/** Popular names and downloads straight into arrays: the list is read on every scan. */
function parsePopularInto(text: string): { names: string[]; downloads: number[] } {
  const names: string[] = [];
  const downloads: number[] = [];
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    if (text.charCodeAt(pos) !== 35) {
      const tab = text.indexOf('\t', pos);
      if (tab > pos && tab < end) {
        names.push(text.slice(pos, tab));
        downloads.push(+text.slice(tab + 1, end));
      }
    }
    pos = end + 1;
  }
  return { names, downloads };
}

export function readPrebuilt(path: string, digest: Buffer): PrebuiltKeys | undefined {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch {
    return undefined;
  }
  if (file.length < PREBUILT_HEADER_BYTES || file.readUInt32LE(0) !== PREBUILT_MAGIC || file.readUInt32LE(4) !== PREBUILT_VERSION) return undefined;
  const count = file.readUInt32LE(8);
  if (!file.subarray(16, 48).equals(digest)) return undefined;
  if (file.length !== PREBUILT_HEADER_BYTES + count * 8) return undefined;
  // Copy into aligned buffers: a Buffer from the pool may start at any byte offset.
  const body = new Uint8Array(count * 8);
  body.set(file.subarray(PREBUILT_HEADER_BYTES));
  return { keys: new Uint32Array(body.buffer, 0, count), values: new Int32Array(body.buffer, count * 4, count) };
}

/**
 * Load (once per directory) the index from rules/data/popular-npm.txt and mcp-packages.txt, using the
 * prebuilt key file when it was made from exactly these texts, and building the keys otherwise.
 */
export function loadTyposquatIndex(dataDir: string = defaultDataDir()): TyposquatIndex {
  const cached = loaded.get(dataDir);
  if (cached) return cached;
  const popularText = readFileSync(`${dataDir}/popular-npm.txt`, 'utf8');
  const knownText = readFileSync(`${dataDir}/mcp-packages.txt`, 'utf8');
  const popular = parsePopularInto(popularText);
  const known = parseKnownMcp(knownText);
  const prebuilt = readPrebuilt(`${dataDir}/${PREBUILT_INDEX_FILE}`, dataDigest(popularText, knownText));
  const names = [...popular.names, ...known.packages];
  const downloads = new Float64Array(names.length);
  downloads.set(popular.downloads);
  const index = indexFromNames(names, downloads, popular.names.length, known, prebuilt);
  loaded.set(dataDir, index);
  return index;
}

const loadedPypi = new Map<string, TyposquatIndex>();

/** `name<TAB>rank` lines, `#` comments. */
export function parseRankedNames(text: string): RankedName[] {
  const out: RankedName[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const tab = line.indexOf('\t');
    if (tab > 0) out.push({ name: line.slice(0, tab), rank: Number(line.slice(tab + 1)) });
  }
  return out;
}

/** Load (once per directory) the PyPI index from rules/data/popular-pypi.txt and mcp-packages-pypi.txt. */
export function loadPypiTyposquatIndex(dataDir: string = defaultDataDir()): TyposquatIndex {
  const cached = loadedPypi.get(dataDir);
  if (cached) return cached;
  const ranked = parseRankedNames(readFileSync(`${dataDir}/popular-pypi.txt`, 'utf8'));
  const known = parseKnownMcp(readFileSync(`${dataDir}/mcp-packages-pypi.txt`, 'utf8')).packages;
  const index = buildPypiTyposquatIndex(ranked, known);
  loadedPypi.set(dataDir, index);
  return index;
}
