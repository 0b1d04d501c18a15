import { isInvisibleOrControl } from '../findings/escape.js';

// A "skeleton" in the spirit of Unicode TS #39: two names with the same skeleton look alike on
// screen. Deliberately small and biased to what attackers use against tool names: Cyrillic and
// Greek letters, full-width and mathematical forms (NFKD folds those), invisible characters,
// accents, letter case, and the ASCII pairs 0/o and 1/l/I/i.

const LOOK_ALIKES: Record<string, string> = {
  // Cyrillic
  а: 'a', А: 'A', в: 'b', В: 'B', с: 'c', С: 'C', ԁ: 'd', е: 'e', Е: 'E', ё: 'e', һ: 'h', Н: 'H', н: 'H',
  і: 'i', І: 'I', ї: 'i', ј: 'j', Ј: 'J', к: 'k', К: 'K', ӏ: 'l', Ӏ: 'I', м: 'm', М: 'M', о: 'o', О: 'O',
  р: 'p', Р: 'P', ԛ: 'q', г: 'r', ѕ: 's', Ѕ: 'S', т: 't', Т: 'T', ц: 'u', ѵ: 'v', ԝ: 'w', Ԝ: 'W', х: 'x',
  Х: 'X', у: 'y', У: 'Y', ү: 'y', ь: 'b',
  // Greek
  α: 'a', Α: 'A', β: 'b', Β: 'B', ϲ: 'c', Ϲ: 'C', ε: 'e', Ε: 'E', Ζ: 'Z', η: 'n', Η: 'H', ι: 'i', Ι: 'I',
  κ: 'k', Κ: 'K', Μ: 'M', μ: 'u', ν: 'v', Ν: 'N', ο: 'o', Ο: 'O', ρ: 'p', Ρ: 'P', τ: 't', Τ: 'T', υ: 'u',
  Υ: 'Y', χ: 'x', Χ: 'X', γ: 'y', ω: 'w',
  // Latin look-alikes that NFKD leaves alone
  ı: 'i', ɩ: 'i', ɡ: 'g', ɑ: 'a', ʏ: 'y', ᴠ: 'v', ꮃ: 'w', ǀ: 'l', '|': 'l',
  // Dashes and low lines
  '‐': '-', '‑': '-', '‒': '-', '–': '-', '—': '-', '―': '-', '−': '-', '˗': '-', 'ˍ': '_',
};

export function nameSkeleton(name: string): string {
  let out = '';
  for (const ch of name.normalize('NFKD')) {
    const cp = ch.codePointAt(0)!;
    if (isInvisibleOrControl(cp)) continue;
    if (/\p{Mn}/u.test(ch)) continue;
    out += LOOK_ALIKES[ch] ?? ch;
  }
  return out
    .toLowerCase()
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w')
    .replace(/[01il]/g, (c) => (c === '0' ? 'o' : 'l'));
}

export function looksAlike(a: string, b: string): boolean {
  return a !== b && nameSkeleton(a) === nameSkeleton(b);
}

const SCRIPTS: ReadonlyArray<readonly [string, RegExp]> = [
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
];

/** Human detail: why `name` looks like `locked`, with the odd characters spelled out as U+ codes. */
export function describeLookAlike(name: string, locked: string): string {
  if (name.toLowerCase() === locked.toLowerCase()) {
    return `${JSON.stringify(name)} differs from locked ${JSON.stringify(locked)} only by letter case`;
  }
  const odd: string[] = [];
  let index = 0;
  for (const ch of name) {
    const cp = ch.codePointAt(0)!;
    if (cp > 0x7e || cp < 0x20) {
      const script = SCRIPTS.find(([, pattern]) => pattern.test(ch))?.[0];
      const kind = isInvisibleOrControl(cp) ? 'invisible' : script ?? 'non-ASCII';
      odd.push(`U+${cp.toString(16).toUpperCase().padStart(4, '0')} (${kind}) at ${index}`);
    }
    index++;
  }
  const how = odd.length > 0 ? odd.slice(0, 5).join(', ') + (odd.length > 5 ? ', …' : '') : 'look-alike ASCII characters';
  return `${JSON.stringify(name)} looks like locked ${JSON.stringify(locked)}: ${how}`;
}
