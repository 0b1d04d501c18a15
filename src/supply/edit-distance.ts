// Edit distances for short identifiers (package names). Myers' bit-parallel algorithm handles the
// common case in one pass of 32-bit words; a banded DP covers longer names and the transposition-aware
// variant.

const peqTable = new Uint32Array(0x10000);

/** Levenshtein distance; returns `limit + 1` as soon as the distance is known to exceed `limit`. */
export function levenshtein(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length === 0) return Math.min(long.length, limit + 1);
  const distance = short.length <= 32 ? myers32(short, long) : bandedDp(short, long, limit, false);
  return distance > limit ? limit + 1 : distance;
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions at cost 1. */
export function osaDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const distance = bandedDp(a, b, limit, true);
  return distance > limit ? limit + 1 : distance;
}

/** Myers 1999 for a pattern of at most 32 code units. */
function myers32(pattern: string, text: string): number {
  const m = pattern.length;
  for (let i = 0; i < m; i++) peqTable[pattern.charCodeAt(i)]! |= 1 << i;
  let pv = -1 >>> 0;
  let mv = 0;
  let score = m;
  const last = 1 << (m - 1);
  for (let j = 0; j < text.length; j++) {
    const eq = peqTable[text.charCodeAt(j)]!;
    const xv = eq | mv;
    const xh = ((((eq & pv) + pv) >>> 0) ^ pv) | eq;
    let ph = mv | ~(xh | pv);
    let mh = pv & xh;
    if (ph & last) score++;
    if (mh & last) score--;
    ph = (ph << 1) | 1;
    mh <<= 1;
    pv = (mh | ~(xv | ph)) >>> 0;
    mv = (ph & xv) >>> 0;
  }
  for (let i = 0; i < m; i++) peqTable[pattern.charCodeAt(i)] = 0;
  return score;
}

/**
 * Row-by-row DP restricted to the diagonal band |i − j| ≤ limit (cells outside it exceed the limit
 * anyway), stopping as soon as a whole row exceeds the limit.
 */
function bandedDp(a: string, b: string, limit: number, transpositions: boolean): number {
  const n = a.length;
  const m = b.length;
  const band = Number.isFinite(limit) ? limit : Math.max(n, m);
  const outside = band + 1;
  let prevPrev = new Array<number>(m + 1).fill(outside);
  let prev = new Array<number>(m + 1).fill(outside);
  let cur = new Array<number>(m + 1).fill(outside);
  for (let j = 0; j <= Math.min(m, band); j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    const from = Math.max(1, i - band);
    const to = Math.min(m, i + band);
    cur.fill(outside);
    cur[0] = i <= band ? i : outside;
    let rowMin = cur[0]!;
    for (let j = from; j <= to; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (transpositions && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prevPrev, prev, cur] = [prev, cur, prevPrev];
  }
  return prev[m]!;
}
