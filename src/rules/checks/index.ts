// Every code check, in one list the engine and the examples table test share.

import type { DefinitionCheck } from '../define-check.js';
import { destructiveHintMismatch, readOnlyHintMismatch } from './annotation-mismatch.js';
import { catchAllParameter } from './catch-all-parameter.js';
import { crossServerClone } from './cross-server-clone.js';
import { crossServerToolReference } from './cross-server-tool-reference.js';
import { encodedPayload } from './encoded-payload.js';
import { ansiEscape, bidiControl, invisibleCharacters, privateUseCharacters, unicodeTagSmuggling } from './hidden-characters.js';
import { homoglyphCharacters } from './homoglyph-characters.js';
import { oversizedDefinition } from './oversized-definition.js';
import { paddedHiddenText } from './padded-hidden-text.js';

export const ALL_CHECKS: DefinitionCheck[] = [
  ansiEscape,
  bidiControl,
  catchAllParameter,
  crossServerClone,
  crossServerToolReference,
  destructiveHintMismatch,
  encodedPayload,
  homoglyphCharacters,
  invisibleCharacters,
  oversizedDefinition,
  paddedHiddenText,
  privateUseCharacters,
  readOnlyHintMismatch,
  unicodeTagSmuggling,
];
