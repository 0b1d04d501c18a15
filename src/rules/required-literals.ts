// A phrase pattern runs on every string its rule's keywords let through, and nearly all of those runs fail:
// a regex with `\b` and bounded windows costs far more per string than a substring search. This module reads
// a pattern's SOURCE and derives literals a match cannot do without ("every match contains one of these
// strings"), so the regex runs only when they occur. The derivation is conservative: anything it does not
// fully understand contributes no literal, and an unparsable pattern gets no filter at all. A filter can
// therefore only skip strings the regex could not have matched; results never change.

/** Every match contains at least one of these strings. */
export type LiteralSet = readonly string[];

/** Literals every match needs: ALL sets must be satisfied, each by ANY of its strings. */
export interface RequiredLiterals {
  sets: readonly LiteralSet[];
}

// Past this many alternatives a cross product stops paying for itself (each costs one substring search).
const MAX_SET_SIZE = 48;
const MAX_LITERAL_LENGTH = 12;
// Two sets catch nearly every non-match; a third costs more searches than the regex runs it saves.
const MAX_SETS = 2;

interface Info {
  /** A finite over-approximation of every string the node matches, or null when not small and finite. */
  exact: string[] | null;
  /** Sets any match of the node needs (AND of ORs); may be empty. */
  required: string[][];
}

const NEUTRAL: Info = { exact: [''], required: [] };
const OPAQUE: Info = { exact: null, required: [] };

class Unsupported extends Error {}

function minimal(strings: readonly string[]): string[] {
  // A string containing another member adds nothing to an "any of" test.
  const unique = [...new Set(strings)].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  const kept: string[] = [];
  for (const s of unique) if (!kept.some((k) => s.includes(k))) kept.push(s);
  return kept;
}

function cross(left: readonly string[], right: readonly string[]): string[] | null {
  if (left.length * right.length > MAX_SET_SIZE) return null;
  const out: string[] = [];
  for (const l of left) for (const r of right) out.push(l + r);
  return [...new Set(out)];
}

/** A usable set: no empty string (that would be satisfied by any text) and not too many alternatives. */
function asSet(strings: readonly string[] | null): string[] | null {
  if (strings === null || strings.some((s) => s === '')) return null;
  const set = minimal(strings);
  return set.length > 0 && set.length <= MAX_SET_SIZE ? set : null;
}

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Info {
    const info = this.alternation();
    if (this.i !== this.src.length) throw new Unsupported(`unexpected "${this.src[this.i]}"`);
    return info;
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private alternation(): Info {
    const branches = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    if (branches.length === 1) return branches[0]!;
    let exact: string[] | null = [];
    for (const branch of branches) {
      if (exact === null || branch.exact === null) exact = null;
      else exact = [...new Set([...exact, ...branch.exact])];
      if (exact !== null && exact.length > MAX_SET_SIZE * 4) exact = null;
    }
    if (exact !== null) return { exact, required: [] };
    // Each branch must bring a set of its own; their union is then needed by the alternation.
    const union: string[] = [];
    for (const branch of branches) {
      const best = bestSets(branch, 1)[0];
      if (best === undefined) return OPAQUE;
      union.push(...best);
    }
    const set = asSet(union);
    return { exact: null, required: set ? [set] : [] };
  }

  private sequence(): Info {
    const required: string[][] = [];
    let run: string[] = [''];
    let broken = false;
    const flush = (): void => {
      const set = asSet(run);
      if (set) required.push(set);
      run = [''];
      broken = true;
    };
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const item = this.quantified(this.atom());
      if (item.exact !== null) {
        // Each piece is needed on its own too, which matters when the joined run grows too large to use.
        const own = item.exact.some((s) => s.length > 1) ? asSet(item.exact) : null;
        if (own) required.push(own);
        const joined = cross(run, item.exact);
        if (joined !== null) {
          run = joined;
          continue;
        }
        flush();
        run = item.exact;
        continue;
      }
      flush();
      required.push(...item.required);
    }
    if (!broken) return { exact: run, required };
    flush();
    return { exact: null, required };
  }

  private quantified(atom: Info): Info {
    const ch = this.peek();
    let min: number;
    let max: number;
    if (ch === '?') {
      this.i++;
      [min, max] = [0, 1];
    } else if (ch === '*' || ch === '+') {
      this.i++;
      [min, max] = [ch === '*' ? 0 : 1, Infinity];
    } else if (ch === '{' && /^\{\d+(?:,\d*)?\}/.test(this.src.slice(this.i))) {
      const [, lo, comma, hi] = /^\{(\d+)(,?)(\d*)\}/.exec(this.src.slice(this.i))!;
      this.i += `{${lo}${comma}${hi}}`.length;
      min = Number(lo);
      max = comma ? (hi ? Number(hi) : Infinity) : min;
    } else {
      return atom;
    }
    if (this.peek() === '?') this.i++; // lazy: same language
    if (min === 0 && max === 1) return { exact: atom.exact === null ? null : [...new Set(['', ...atom.exact])], required: [] };
    if (min === 1 && max === 1) return atom;
    if (min === 0) return OPAQUE;
    // At least one repetition: whatever one copy needs, the whole needs.
    const set = asSet(atom.exact);
    return { exact: null, required: set ? [set, ...atom.required] : atom.required };
  }

  private atom(): Info {
    const ch = this.src[this.i++];
    switch (ch) {
      case '(':
        return this.group();
      case '[':
        return this.characterClass();
      case '\\':
        return this.escape();
      case '.':
        return OPAQUE;
      case '^':
      case '$':
        return NEUTRAL;
      case undefined:
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case ']':
      case ')':
      case '|':
        throw new Unsupported(`unexpected "${ch ?? 'end'}"`);
      default: {
        // A surrogate pair is one code point under the u flag.
        const cp = this.src.codePointAt(this.i - 1)!;
        if (cp > 0xffff) this.i++;
        return { exact: [String.fromCodePoint(cp)], required: [] };
      }
    }
  }

  private group(): Info {
    let lookaround = false;
    if (this.src.startsWith('?:', this.i)) this.i += 2;
    else if (this.src.startsWith('?=', this.i) || this.src.startsWith('?!', this.i)) {
      this.i += 2;
      lookaround = true;
    } else if (this.src.startsWith('?<=', this.i) || this.src.startsWith('?<!', this.i)) {
      this.i += 3;
      lookaround = true;
    } else if (this.src.startsWith('?<', this.i)) {
      const end = this.src.indexOf('>', this.i);
      if (end < 0) throw new Unsupported('unterminated group name');
      this.i = end + 1;
    } else if (this.peek() === '?') {
      throw new Unsupported('unknown group kind');
    }
    const inner = this.alternation();
    if (this.src[this.i++] !== ')') throw new Unsupported('unterminated group');
    // Assertions consume nothing: they cannot add a required literal to the matched text.
    return lookaround ? NEUTRAL : inner;
  }

  private characterClass(): Info {
    const members: string[] = [];
    let small = this.peek() !== '^';
    for (;;) {
      const ch = this.src[this.i++];
      if (ch === undefined) throw new Unsupported('unterminated class');
      if (ch === ']') break;
      if (ch === '\\') {
        const next = this.src[this.i++];
        if (next === undefined) throw new Unsupported('dangling escape');
        if (/[^A-Za-z0-9]/.test(next)) members.push(next);
        else if (next === 'n') members.push('\n');
        else if (next === 't') members.push('\t');
        else if (next === 'r') members.push('\r');
        else {
          small = false;
          if ((next === 'p' || next === 'P') && this.peek() === '{') this.i = this.src.indexOf('}', this.i) + 1;
          else if (next === 'u' && this.peek() === '{') this.i = this.src.indexOf('}', this.i) + 1;
          else if (next === 'u') this.i += 4;
          else if (next === 'x') this.i += 2;
          if (this.i === 0) throw new Unsupported('unterminated escape');
        }
        continue;
      }
      if (ch === '-' && members.length > 0 && this.peek() !== ']') small = false; // a range
      const cp = this.src.codePointAt(this.i - 1)!;
      if (cp > 0xffff) this.i++;
      members.push(String.fromCodePoint(cp));
    }
    return small && members.length > 0 && members.length <= 8 ? { exact: [...new Set(members)], required: [] } : OPAQUE;
  }

  private escape(): Info {
    const ch = this.src[this.i++];
    if (ch === undefined) throw new Unsupported('dangling escape');
    if (ch === 'b' || ch === 'B') return NEUTRAL;
    if ('dDwWsS'.includes(ch)) return OPAQUE;
    if (ch === 'p' || ch === 'P') {
      if (this.peek() !== '{') throw new Unsupported('bad property escape');
      const end = this.src.indexOf('}', this.i);
      if (end < 0) throw new Unsupported('bad property escape');
      this.i = end + 1;
      return OPAQUE;
    }
    if (/[1-9]/.test(ch) || ch === 'k') throw new Unsupported('back-reference');
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v' };
    if (simple[ch] !== undefined) return { exact: [simple[ch]], required: [] };
    if (ch === 'x' || ch === 'u') {
      const braced = ch === 'u' && this.peek() === '{';
      const hex = braced ? /^\{([0-9a-fA-F]{1,6})\}/.exec(this.src.slice(this.i)) : new RegExp(`^([0-9a-fA-F]{${ch === 'x' ? 2 : 4}})`).exec(this.src.slice(this.i));
      if (!hex) throw new Unsupported('bad hex escape');
      this.i += hex[0].length;
      const cp = Number.parseInt(hex[1]!, 16);
      // A lone surrogate escape may pair with the next one; not worth modelling.
      if (cp >= 0xd800 && cp <= 0xdfff) return OPAQUE;
      return { exact: [String.fromCodePoint(cp)], required: [] };
    }
    if (/[A-Za-z0-9]/.test(ch)) throw new Unsupported(`escape \\${ch}`);
    return { exact: [ch], required: [] };
  }
}

function score(set: LiteralSet): number {
  // The rarer a set, the more regex runs it saves: longer shortest member first, then fewer members.
  return Math.min(...set.map((s) => s.length)) * 1000 - set.length;
}

/** Whether a text holding some member of `a` always holds some member of `b`. */
function implies(a: LiteralSet, b: LiteralSet): boolean {
  return a.every((s) => b.some((t) => s.includes(t)));
}

function bestSets(info: Info, limit: number): string[][] {
  const candidates = [...info.required];
  const whole = asSet(info.exact);
  if (whole) candidates.push(whole);
  const chosen: string[][] = [];
  for (const set of candidates.sort((a, b) => score(b) - score(a))) {
    if (chosen.length === limit) break;
    // A set every member of a chosen set already contains would be a second search that never fails.
    if (chosen.some((other) => implies(other, set))) continue;
    chosen.push(set);
  }
  return chosen;
}

/**
 * Literals a match of `source` (a `u`-flag, case-sensitive pattern) must contain, or undefined when the
 * source holds a construct this reader does not model (then the pattern simply runs unfiltered).
 */
export function requiredLiterals(source: string): RequiredLiterals | undefined {
  let info: Info;
  try {
    info = new Parser(source).parse();
  } catch {
    // Unsupported syntax, or a reader bug: either way the pattern runs unfiltered, never wrongly filtered.
    return undefined;
  }
  // Any piece of a required literal is required too: a prefix keeps nearly all the selectivity and makes
  // the shared search automaton several times smaller (and so quicker to build at first use).
  const sets = bestSets(info, MAX_SETS).map((set) => minimal(set.map((literal) => literal.slice(0, MAX_LITERAL_LENGTH))));
  return sets.length > 0 ? { sets } : undefined;
}

/** True when `text` contains a string of every set: the pattern may match and must be run. */
export function mayMatch(required: RequiredLiterals, text: string): boolean {
  for (const set of required.sets) {
    let found = false;
    for (const literal of set) {
      if (text.includes(literal)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}
