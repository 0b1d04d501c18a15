// Look-alike letters: a tool called `rеad_file` with a Cyrillic е impersonates `read_file`, and a word like
// "pаypal" in prose passes a human reviewer while dodging keyword filters.

import { excerpt } from '../../findings/escape.js';
import { defineCheck } from '../define-check.js';
import type { RuleHit } from '../define-check.js';
import { foldConfusable, isConfusableLetter } from '../normalize.js';

const LATIN = /\p{Script=Latin}/u;
const CYRILLIC_OR_GREEK = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;
const WORD = /[\p{L}\p{M}]{2,64}/gu;

function isMixedConfusableWord(word: string): boolean {
  if (!LATIN.test(word) || !CYRILLIC_OR_GREEK.test(word)) return false;
  return [...word].some((ch) => CYRILLIC_OR_GREEK.test(ch) && isConfusableLetter(ch));
}

export const homoglyphCharacters = defineCheck({
  meta: {
    id: 'homoglyph-characters',
    category: 'hidden-text',
    title: 'Look-alike letters from another script',
    severity: 'medium',
    confidence: 'high',
    combinedSeverity: 'high',
    description:
      'A name or word mixes Latin letters with Cyrillic or Greek letters that look the same; used to impersonate a trusted tool or to slip phrases past filters.',
    tip: 'Compare the name with the tool it resembles; legitimate names use one script.',
    references: ['https://www.unicode.org/reports/tr39/'],
  },
  message: '{{entity}} mixes scripts in {{field}}: "{{word}}" reads as "{{looksLike}}"',
  examples: {
    match: [
      { tool: { name: 'r\u0435ad_file', description: 'Reads a file.', inputSchema: { type: 'object' } } },
      { tool: { name: 'pay', description: 'Pays via p\u0430ypal only.', inputSchema: { type: 'object' } } },
    ],
    noMatch: [
      { tool: { name: 'translate', description: 'Translates "привет мир" to English; latency in μs.', inputSchema: { type: 'object' } } },
      { tool: { name: 'physics', description: 'Computes α-decay and β rays.', inputSchema: { type: 'object' } } },
    ],
  },
  run(context) {
    const hits: RuleHit[] = [];
    for (const entity of context.entities) {
      for (const surface of entity.surfaces) {
        if (!CYRILLIC_OR_GREEK.test(surface.raw)) continue;
        const isIdentifier = surface.kind === 'name' || surface.kind === 'parameter-name';
        for (const found of surface.raw.matchAll(WORD)) {
          const word = found[0];
          // A name written wholly in look-alike letters ("рау" in Cyrillic) impersonates as well as a mixed one.
          const pureLookAlike =
            isIdentifier && CYRILLIC_OR_GREEK.test(word) && [...word].every((ch) => LATIN.test(ch) || isConfusableLetter(ch));
          if (!isMixedConfusableWord(word) && !pureLookAlike) continue;
          const looksLike = [...word].map((ch) => foldConfusable(ch.toLowerCase())).join('');
          const hit: RuleHit = {
            ruleId: 'homoglyph-characters',
            entity,
            field: surface.field,
            args: { word, looksLike },
            evidence: excerpt(surface.raw, found.index, found.index + word.length, 30),
            discriminator: word,
          };
          if (isIdentifier) hit.severity = 'high';
          hits.push(hit);
          break;
        }
      }
    }
    return hits;
  },
});
