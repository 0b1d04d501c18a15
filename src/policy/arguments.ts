// Argument matchers (design §4): a path into the call's arguments and a regex run by re2js, whose
// matching time is linear in the input, so a hostile argument cannot stall the gate.

import canonicalize from 'canonicalize';
import { RE2JS } from 're2js';
import type { ArgumentPresetName } from './types.js';

/** `$` addresses the whole arguments object (e.g. to look for `../` anywhere in it). */
export const WHOLE_ARGUMENTS = '$';

export function parseArgumentPath(text: string): string[] {
  return text === WHOLE_ARGUMENTS ? [] : text.split('.');
}

const MISSING: unique symbol = Symbol('missing');

/** The value at `path`, or MISSING. Own properties only: `__proto__` or `constructor` never resolve. */
export function valueAtPath(args: unknown, path: readonly string[]): unknown {
  let current: unknown = args;
  for (const segment of path) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]{0,8})$/.test(segment)) return MISSING;
      const index = Number(segment);
      if (index >= current.length) return MISSING;
      current = current[index];
    } else if (typeof current === 'object' && current !== null) {
      if (!Object.prototype.hasOwnProperty.call(current, segment)) return MISSING;
      current = (current as Record<string, unknown>)[segment];
    } else {
      return MISSING;
    }
  }
  return current;
}

export function isMissing(value: unknown): value is typeof MISSING {
  return value === MISSING;
}

/**
 * The text a matcher sees: strings as they are, numbers and booleans as JSON writes them, null as
 * `null`, objects and arrays as RFC 8785 canonical JSON (keys sorted, so key order cannot dodge a
 * pattern). Throws on values JSON cannot express (lone surrogates); the caller fails closed.
 */
export function canonicalArgumentText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  const text = canonicalize(value);
  if (text === undefined) throw new Error('argument value has no JSON form');
  return text;
}

/**
 * Named patterns for common attacks. Each runs unanchored (a match anywhere counts) and tolerates the
 * JSON escaping it meets when the matched value is an object or array.
 */
export const ARGUMENT_PRESET_PATTERNS: Record<ArgumentPresetName, string> = {
  // `..` as a whole path segment with `/` or `\` around it, raw or percent-encoded (also double- and
  // overlong-UTF-8-encoded), and NUL bytes that truncate paths in C-backed file APIs.
  'path-traversal':
    '(?i)(?:^|[/\\\\"]|%2f|%5c)(?:\\.|%2e|%252e|%c0%ae|%e0%80%ae){2}(?:$|[/\\\\"]|%2f|%5c|%252f|%255c)|\\x00|%00|\\\\u0000',
  // Characters a POSIX shell gives meaning to: separators, pipes, redirection, substitution, quoting,
  // escapes, globbing, comments, history and home expansion, and line breaks. Spaces are not in the
  // list: they split words but are too common in ordinary text to deny on.
  'shell-metacharacters': '[;&|`$<>(){}\\[\\]*?~!#\'"\\\\\\r\\n\\x00]',
  // Schema-changing SQL (and the permission and attach statements next to it), as whole words in any
  // case. It also fires on these words inside string literals: a deny preset errs that way.
  'sql-ddl': '(?i)\\b(?:create|alter|drop|truncate|rename|grant|revoke|attach|detach)\\b|(?i)\\bcomment\\s+on\\b',
};

export function compileArgumentPreset(name: ArgumentPresetName): RE2JS {
  return RE2JS.compile(ARGUMENT_PRESET_PATTERNS[name]);
}

/** Compiles a user regex; throws the re2js syntax error (backreferences, lookaround) for the loader. */
export function compileArgumentRegex(source: string): RE2JS {
  return RE2JS.compile(source);
}

/** Tool globs: `*` is any run of characters, `?` one character, everything else is literal. */
export function compileToolGlob(glob: string): RE2JS {
  let pattern = '^';
  let literal = '';
  const flush = (): void => {
    if (literal) pattern += RE2JS.quote(literal);
    literal = '';
  };
  for (const char of glob) {
    if (char === '*' || char === '?') {
      flush();
      pattern += char === '*' ? '(?s:.*)' : '(?s:.)';
    } else {
      literal += char;
    }
  }
  flush();
  return RE2JS.compile(`${pattern}$`);
}

export function isGlob(tool: string): boolean {
  return tool.includes('*') || tool.includes('?');
}
