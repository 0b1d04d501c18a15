// Character classes shared by the hidden-text checks. Benign text uses some of these legitimately (emoji
// sequences, right-to-left scripts); the exceptions live here so every check treats them the same way.

import { isInvisibleOrControl } from '../../findings/escape.js';

export function isTagCharacter(cp: number): boolean {
  return cp >= 0xe0000 && cp <= 0xe007f;
}

export function isBidiEmbeddingOrIsolate(cp: number): boolean {
  return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

export function isBidiMark(cp: number): boolean {
  return cp === 0x200e || cp === 0x200f || cp === 0x061c;
}

export function isAnsiIntroducer(cp: number): boolean {
  return cp === 0x1b || cp === 0x9b;
}

const RTL_LETTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}/u;

export function hasRightToLeftLetters(text: string): boolean {
  return RTL_LETTER.test(text);
}

export function isPictographic(ch: string | undefined): boolean {
  return ch !== undefined && PICTOGRAPHIC.test(ch);
}

/**
 * Positions (code point indices into `chars`) of subdivision-flag tag sequences, e.g. 🏴 + tags "gbeng" +
 * CANCEL TAG (England's flag): legitimate uses of tag characters that must not be reported.
 */
export function emojiTagPositions(chars: readonly string[]): Set<number> {
  const allowed = new Set<number>();
  for (let i = 0; i < chars.length; i++) {
    if (chars[i]!.codePointAt(0) !== 0x1f3f4) continue;
    let j = i + 1;
    while (j < chars.length && j - i <= 8) {
      const cp = chars[j]!.codePointAt(0)!;
      if ((cp >= 0xe0030 && cp <= 0xe0039) || (cp >= 0xe0061 && cp <= 0xe007a)) j++;
      else break;
    }
    if (j < chars.length && chars[j]!.codePointAt(0) === 0xe007f && j > i + 1) for (let k = i + 1; k <= j; k++) allowed.add(k);
  }
  return allowed;
}

/**
 * Invisible characters that carry no legitimate meaning where they stand. Excludes the characters other
 * checks own (tags, bidi, ANSI), ordinary whitespace, emoji joiners and variation selectors next to
 * emoji, and bidi marks inside right-to-left text.
 */
export function isSuspiciousInvisible(chars: readonly string[], index: number, rtlText: boolean): boolean {
  const cp = chars[index]!.codePointAt(0)!;
  if (cp === 0x09 || cp === 0x0a || cp === 0x0d) return false;
  if (!isInvisibleOrControl(cp)) return false;
  if (isTagCharacter(cp) || isBidiEmbeddingOrIsolate(cp) || isAnsiIntroducer(cp)) return false;
  if (isBidiMark(cp)) return !rtlText;
  if (cp === 0x200d || cp === 0xfe0f || cp === 0xfe0e || (cp >= 0xfe00 && cp <= 0xfe0d)) {
    return !(isPictographic(chars[index - 1]) || isPictographic(chars[index + 1]));
  }
  // ZWNJ is part of ordinary Persian and Indic orthography.
  if (cp === 0x200c) return !rtlText && !/[\u0900-\u0dff]/u.test(chars.slice(Math.max(0, index - 1), index + 2).join(''));
  return true;
}
