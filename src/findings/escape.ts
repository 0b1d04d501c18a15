// Make untrusted text safe to show on a terminal, in SARIF or in a diff: control characters, ANSI
// escapes, bidi controls, zero-width and other invisible characters, Unicode tag characters and
// private-use characters become visible `\u{…}` escapes instead of acting on the reader's screen.

const NAMES: Record<number, string> = {
  0x09: 'TAB',
  0x0a: 'LF',
  0x0d: 'CR',
  0x1b: 'ESC',
  0x200b: 'ZWSP',
  0x200c: 'ZWNJ',
  0x200d: 'ZWJ',
  0x2060: 'WJ',
  0xfeff: 'BOM',
  0x00ad: 'SHY',
  0x202a: 'LRE',
  0x202b: 'RLE',
  0x202c: 'PDF',
  0x202d: 'LRO',
  0x202e: 'RLO',
  0x2066: 'LRI',
  0x2067: 'RLI',
  0x2068: 'FSI',
  0x2069: 'PDI',
  0x200e: 'LRM',
  0x200f: 'RLM',
  0x061c: 'ALM',
};

/** Code points that render as nothing or reorder text; hidden-text rules flag these too. */
export function isInvisibleOrControl(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0x00ad ||
    cp === 0x034f ||
    cp === 0x061c ||
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x17b4 ||
    cp === 0x17b5 ||
    cp === 0x180e ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    cp === 0x3164 ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xfeff ||
    cp === 0xffa0 ||
    (cp >= 0xfff0 && cp <= 0xfffb) ||
    (cp >= 0x1bca0 && cp <= 0x1bca3) ||
    (cp >= 0x1d173 && cp <= 0x1d17a) ||
    (cp >= 0xe0000 && cp <= 0xe007f) ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  );
}

export function isPrivateUse(cp: number): boolean {
  return (cp >= 0xe000 && cp <= 0xf8ff) || (cp >= 0xf0000 && cp <= 0xffffd) || (cp >= 0x100000 && cp <= 0x10fffd);
}

export function isLoneSurrogate(cp: number): boolean {
  return cp >= 0xd800 && cp <= 0xdfff;
}

export interface EscapeOptions {
  /** Keep tabs and newlines as they are (multi-line display); default false. */
  keepNewlines?: boolean;
}

export function escapeForDisplay(text: string, options: EscapeOptions = {}): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (options.keepNewlines && (cp === 0x0a || cp === 0x09)) {
      out += ch;
    } else if (isInvisibleOrControl(cp) || isPrivateUse(cp) || isLoneSurrogate(cp) || cp === 0x5c) {
      if (cp === 0x5c) {
        out += '\\\\';
      } else if (cp >= 0xe0020 && cp <= 0xe007e) {
        // Unicode tag characters smuggle ASCII; show what they spell.
        out += `\\u{${cp.toString(16).toUpperCase()}:${String.fromCharCode(cp - 0xe0000)}}`;
      } else {
        const name = NAMES[cp];
        out += `\\u{${cp.toString(16).toUpperCase().padStart(4, '0')}${name ? ' ' + name : ''}}`;
      }
    } else {
      out += ch;
    }
  }
  return out;
}

/** Shorten for one-line display around the interesting part, escaping as it goes. */
export function excerpt(text: string, start: number, end: number, context = 40): string {
  const from = Math.max(0, start - context);
  const to = Math.min(text.length, end + context);
  return (from > 0 ? '…' : '') + escapeForDisplay(text.slice(from, to)) + (to < text.length ? '…' : '');
}

/**
 * Prose: messages, evidence, tips, notes, error text and paths. Evidence and message placeholders arrive
 * escaped already (model.ts, rules engine), so escaping again would double every backslash and show
 * `\\u{202E RLO}` or `C:\\\\Users`. Only characters that are still raw get escaped: idempotent, and just
 * as safe for the terminal.
 */
export function safeProse(text: string): string {
  return text.replace(OUTSIDE_PRINTABLE_ASCII, (ch) => (isUnsafeCodePoint(ch.codePointAt(0)!) ? escapeForDisplay(ch) : ch));
}

/**
 * Every character escapeForDisplay acts on (other than the backslash) lies outside printable ASCII; a
 * regex visits only those, which is ~50× faster than a loop over every character of a large report.
 * The `u` flag makes astral characters and lone surrogates one match each.
 */
export const OUTSIDE_PRINTABLE_ASCII = /[^\x20-\x7e]/gu;

export function isUnsafeCodePoint(cp: number): boolean {
  return isInvisibleOrControl(cp) || isPrivateUse(cp) || isLoneSurrogate(cp);
}

/** safeProse for multi-line text: line breaks stay line breaks, everything else unsafe is escaped. */
export function safeLines(text: string): string {
  return text.split('\n').map(safeProse).join('\n');
}
