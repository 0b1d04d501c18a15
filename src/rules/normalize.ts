// Phrase rules read NORMALISED text, so that look-alike letters, invisible characters, markdown emphasis,
// odd spacing and case cannot split a phrase the rule knows. Hidden-text checks read the RAW text instead
// (normalisation would erase exactly what they look for).

// Cyrillic and Greek letters that render like Latin ones (a subset of Unicode confusables.txt covering the
// letters attackers use in practice). Folding them lets "ignоre" with a Cyrillic о still match "ignore".
const CONFUSABLE_TO_LATIN: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', һ: 'h', і: 'i', ї: 'i', ј: 'j', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c',
  т: 't', у: 'y', х: 'x', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l', ɡ: 'g',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', γ: 'y',
};

const CONFUSABLES = new Map(Object.entries(CONFUSABLE_TO_LATIN));
const CONFUSABLE_PATTERN = new RegExp(`[${Object.keys(CONFUSABLE_TO_LATIN).join('')}]`, 'gu');

export function isConfusableLetter(ch: string): boolean {
  return CONFUSABLES.has(ch.toLowerCase());
}

export function foldConfusable(ch: string): string {
  return CONFUSABLES.get(ch) ?? ch;
}

const QUOTES = new Map([['\u2018', "'"], ['\u2019', "'"], ['\u02bc', "'"], ['\u201c', '"'], ['\u201d', '"']]);
const QUOTE_PATTERN = /[\u2018\u2019\u02bc\u201c\u201d]/gu;
const NON_ASCII = /[^\x00-\x7f]/u;
// The same set as isInvisibleOrControl() minus tab, LF and CR, which count as whitespace here.
const INVISIBLE =
  /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\u{1bca0}-\u{1bca3}\u{1d173}-\u{1d17a}\u{e0000}-\u{e007f}\u{e0100}-\u{e01ef}]/gu;
// Anything but single ASCII spaces between words, or whitespace at either end.
const NEEDS_SPACE_FOLDING = /\s\s|[^\S ]|^\s|\s$/u;
const ASCII_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
const LETTER_SPACED = /(?:^|[^\p{L}])\p{L}(?: \p{L}){5}(?!\p{L})/u;
// Cheap necessary condition (two single letters in a row, space-separated) before the full check.
const SPACED_PAIR = / \p{L} \p{L} /u;
const LETTER_SPACED_ASCII = /(?:^|[^a-z])[a-z](?: [a-z]){5}(?![a-z])/;
const LETTER_SPACED_GLOBAL = /(?<![\p{L}])\p{L}(?: \p{L}){5,}(?!\p{L})/gu;

/** NFKC, invisible characters dropped, confusables folded, case-folded, emphasis stripped, spaces collapsed. */
export function normalizeText(raw: string): string {
  // NFKC leaves ASCII unchanged, and most definitions are ASCII: skip the costly call for them.
  const isAscii = !NON_ASCII.test(raw);
  let text = (isAscii ? raw : raw.normalize('NFKC')).toLowerCase();
  if (!isAscii) {
    text = text.replace(INVISIBLE, '').replace(CONFUSABLE_PATTERN, (ch) => CONFUSABLES.get(ch) ?? ch).replace(QUOTE_PATTERN, (ch) => QUOTES.get(ch) ?? ch);
  } else if (ASCII_CONTROL.test(text)) {
    text = text.replace(INVISIBLE, '');
  }
  // "i g n o r e  p r e v i o u s": letters spaced out one by one; single spaces join, wider gaps split words.
  if (SPACED_PAIR.test(text) && (isAscii ? LETTER_SPACED_ASCII : LETTER_SPACED).test(text)) text = text.replace(LETTER_SPACED_GLOBAL, (run) => run.replace(/ (?=\S)/g, ''));
  // Markdown emphasis and code ticks break phrases apart ("do **not** tell") without changing meaning.
  if (text.includes('*') || text.includes('`')) text = text.replace(/[*`]/g, '');
  return NEEDS_SPACE_FOLDING.test(text) ? text.replace(/\s+/gu, ' ').trim() : text;
}

const memo = new WeakMap<object, string>();
/** Set during one analysis: equal strings share one normalisation (servers repeat strings a lot). */
let shared: Map<string, string> | undefined;

/**
 * Runs `work` with normalizedOf() results shared by every surface holding the same raw string. Scoped to
 * one call, so nothing is kept between analyses.
 */
export function withSharedNormalization<T>(work: () => T): T {
  if (shared) return work();
  shared = new Map();
  try {
    return work();
  } finally {
    shared = undefined;
  }
}

/** normalizeText() of a surface, computed once however many rules read it. */
export function normalizedOf(surface: { raw: string }): string {
  if (shared) {
    let normalized = shared.get(surface.raw);
    if (normalized === undefined) {
      normalized = normalizeText(surface.raw);
      shared.set(surface.raw, normalized);
    }
    return normalized;
  }
  let normalized = memo.get(surface);
  if (normalized === undefined) {
    normalized = normalizeText(surface.raw);
    memo.set(surface, normalized);
  }
  return normalized;
}
