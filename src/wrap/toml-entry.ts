// Editing one `[mcp_servers.NAME]` table of a Codex config.toml with plain text edits: only the
// `command` and `args` values change; comments, other keys, sub-tables and layout stay as written.
// Layouts other than a `[mcp_servers.NAME]` header (inline tables, dotted keys) are reported as not
// wrappable rather than rewritten.

import type { Launch } from './launch.js';

export interface TomlTable {
  /** Offset of the `[` of the header. */
  start: number;
  /** Offset just after the header line. */
  bodyStart: number;
  /** Offset of the next header that is not a sub-table of this one (or the end of the text). */
  end: number;
}

interface Line {
  start: number;
  /** Offset of the line end (`\n`, or the end of the text). */
  end: number;
  text: string;
}

function linesOf(text: string, from = 0, to = text.length): Line[] {
  const out: Line[] = [];
  let start = from;
  while (start < to) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 || newline >= to ? to : newline;
    out.push({ start, end, text: text.slice(start, end) });
    start = end + 1;
  }
  return out;
}

/** Dotted key of a `[a."b c".d]` header, or undefined when the line is not a table header. */
export function headerKeys(line: string): string[] | undefined {
  const match = /^\s*\[(?!\[)(.*)\]\s*(?:#.*)?$/.exec(line.replace(/\r$/, ''));
  if (!match) return undefined;
  return splitDottedKey(match[1]!);
}

function splitDottedKey(source: string): string[] | undefined {
  const keys: string[] = [];
  let rest = source.trim();
  while (rest.length > 0) {
    let key: string;
    const bare = /^[A-Za-z0-9_-]+/.exec(rest);
    const basic = /^"((?:[^"\\]|\\.)*)"/.exec(rest);
    const literal = /^'([^']*)'/.exec(rest);
    if (bare) {
      key = bare[0];
      rest = rest.slice(bare[0].length);
    } else if (basic) {
      try {
        key = JSON.parse(`"${basic[1]!}"`) as string;
      } catch {
        return undefined;
      }
      rest = rest.slice(basic[0].length);
    } else if (literal) {
      key = literal[1]!;
      rest = rest.slice(literal[0].length);
    } else {
      return undefined;
    }
    keys.push(key);
    rest = rest.trimStart();
    if (rest.startsWith('.')) rest = rest.slice(1).trimStart();
    else if (rest.length > 0) return undefined;
  }
  return keys;
}

export function locateTomlTable(text: string, name: string): TomlTable | undefined {
  const lines = linesOf(text);
  for (let i = 0; i < lines.length; i++) {
    const keys = headerKeys(lines[i]!.text);
    if (!keys || keys.length !== 2 || keys[0] !== 'mcp_servers' || keys[1] !== name) continue;
    let end = text.length;
    for (let j = i + 1; j < lines.length; j++) {
      const inner = lines[j]!.text;
      const nested = headerKeys(inner) ?? (/^\s*\[\[/.test(inner) ? [] : undefined);
      if (nested === undefined) continue;
      const isSubTable = nested.length > 2 && nested[0] === 'mcp_servers' && nested[1] === name;
      if (!isSubTable) {
        end = lines[j]!.start;
        break;
      }
    }
    return { start: lines[i]!.start, bodyStart: Math.min(lines[i]!.end + 1, text.length), end };
  }
  return undefined;
}

/** The end of the TOML value starting at `from` (strings, arrays and inline tables may span lines). */
function valueEnd(text: string, from: number): number {
  let i = from;
  let depth = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (text.startsWith('"""', i) || text.startsWith("'''", i)) {
      const quote = text.slice(i, i + 3);
      const close = text.indexOf(quote, i + 3);
      i = close === -1 ? text.length : close + 3;
      while (text[i] === quote[0]) i++;
    } else if (char === '"') {
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (char === "'") {
      const close = text.indexOf("'", i + 1);
      i = close === -1 ? text.length : close + 1;
    } else if (char === '[' || char === '{') {
      depth++;
      i++;
    } else if (char === ']' || char === '}') {
      depth--;
      i++;
      if (depth === 0) return i;
    } else if (char === '#') {
      const newline = text.indexOf('\n', i);
      if (depth === 0) return trimEnd(text, from, i);
      i = newline === -1 ? text.length : newline;
    } else if (char === '\n' && depth === 0) {
      return trimEnd(text, from, i);
    } else {
      i++;
    }
    if (depth === 0 && (char === '"' || char === "'")) return i;
  }
  return trimEnd(text, from, i);
}

function trimEnd(text: string, from: number, to: number): number {
  let end = to;
  while (end > from && /\s/.test(text[end - 1]!)) end--;
  return end;
}

interface KeyValue {
  lineStart: number;
  valueStart: number;
  valueEnd: number;
}

function findKey(text: string, table: TomlTable, key: string): KeyValue | undefined {
  const pattern = new RegExp(`^\\s*(?:${key}|"${key}"|'${key}')\\s*=\\s*`);
  let offset = table.bodyStart;
  while (offset < table.end) {
    const newline = text.indexOf('\n', offset);
    const lineEnd = newline === -1 || newline > table.end ? table.end : newline;
    const line = text.slice(offset, lineEnd);
    if (headerKeys(line)) break;
    const match = pattern.exec(line);
    if (match) {
      const valueStart = offset + match[0].length;
      return { lineStart: offset, valueStart, valueEnd: valueEnd(text, valueStart) };
    }
    // Skip over multi-line values of other keys so their contents are never read as keys.
    const other = /^\s*[A-Za-z0-9_"'.-][^=]*=\s*/.exec(line);
    offset = other ? Math.max(valueEnd(text, offset + other[0].length), lineEnd) + 1 : lineEnd + 1;
  }
  return undefined;
}

export function tomlString(value: string): string {
  // JSON's escapes (\" \\ \n \t \uXXXX …) are all valid in a TOML basic string.
  return JSON.stringify(value);
}

export function tomlStringArray(values: readonly string[]): string {
  return `[${values.map(tomlString).join(', ')}]`;
}

/** Returns the new text, or undefined when the table does not have the layout this edits. */
export function setTomlLaunch(text: string, table: TomlTable, launch: Launch): string | undefined {
  const command = findKey(text, table, 'command');
  if (!command) return undefined;
  const args = findKey(text, table, 'args');
  const edits: { from: number; to: number; insert: string }[] = [{ from: command.valueStart, to: command.valueEnd, insert: tomlString(launch.command) }];
  if (args) {
    edits.push({ from: args.valueStart, to: args.valueEnd, insert: tomlStringArray(launch.args) });
  } else {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const indent = /^[ \t]*/.exec(text.slice(command.lineStart))![0];
    edits.push({ from: command.valueEnd, to: command.valueEnd, insert: `${eol}${indent}args = ${tomlStringArray(launch.args)}` });
  }
  edits.sort((a, b) => b.from - a.from);
  let out = text;
  for (const edit of edits) out = `${out.slice(0, edit.from)}${edit.insert}${out.slice(edit.to)}`;
  return out;
}
