// Config files parsed with positions kept, so a bad file is reported as `file:line:column`.
// Every client's JSON is read as JSONC (comments, trailing commas): VS Code, Zed and OpenCode write
// it, and accepting it for the others costs nothing while refusing it would hide their servers.

import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { parse as parseToml, TomlError } from 'smol-toml';
import { GuardError, lineColumnAt } from '../errors.js';
import type { JsonObject, JsonValue } from '../model.js';

export type JsonPath = (string | number)[];

export interface ConfigDocument {
  file: string;
  root: JsonValue;
  /** 1-based position of the value at `path`, or of its nearest existing ancestor. */
  positionOf(path: JsonPath): { line: number; column: number };
}

const PARSE_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'invalid symbol',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'property name expected',
  ValueExpected: 'value expected',
  ColonExpected: 'colon expected',
  CommaExpected: 'comma expected',
  CloseBraceExpected: 'closing brace expected',
  CloseBracketExpected: 'closing bracket expected',
  EndOfFileExpected: 'end of file expected',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in string',
};

export function parseJsoncDocument(text: string, file: string): ConfigDocument {
  const errors: ParseError[] = [];
  // A leading BOM is legal in files Windows editors save; jsonc-parser would call it a symbol.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const offsetShift = body.length === text.length ? 0 : 1;
  const tree = parseTree(body, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const first = errors[0];
  if (first) {
    const { line, column } = lineColumnAt(text, first.offset + offsetShift);
    const what = PARSE_MESSAGES[printParseErrorCode(first.error)] ?? printParseErrorCode(first.error);
    // The CLI prefixes `file:line:column`, so the message itself does not repeat the position.
    throw new GuardError('config-parse', `invalid JSON: ${what}`, {
      location: { file, line, column },
    });
  }
  const root = tree ? nodeValue(tree) : {};
  return {
    file,
    root,
    positionOf(path) {
      if (!tree) return { line: 1, column: 1 };
      for (let length = path.length; length >= 0; length--) {
        const node = findNodeAtLocation(tree, path.slice(0, length));
        if (node) {
          // Point at the property name when there is one: that is what a reader looks for.
          const at = node.parent?.type === 'property' && node.parent.children?.[1] === node ? node.parent : node;
          return lineColumnAt(text, at.offset + offsetShift);
        }
      }
      return { line: 1, column: 1 };
    },
  };
}

/** Like jsonc-parser's getNodeValue, but typed and without prototype pollution through `__proto__`. */
function nodeValue(node: Node): JsonValue {
  switch (node.type) {
    case 'object': {
      const out: JsonObject = Object.create(null) as JsonObject;
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key && value && typeof key.value === 'string') out[key.value] = nodeValue(value);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    case 'string':
    case 'number':
    case 'boolean':
      return node.value as string | number | boolean;
    default:
      return null;
  }
}

export function parseTomlDocument(text: string, file: string): ConfigDocument {
  let root: JsonValue;
  try {
    root = toJson(parseToml(text));
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'invalid TOML';
      throw new GuardError(
        'config-parse',
        `invalid TOML: ${reason}`,
        { location: { file, line: error.line, column: error.column }, cause: error },
      );
    }
    throw error;
  }
  const lines = text.split('\n');
  const headerAt = (index: number): string | undefined => {
    const match = /^\s*\[\[?([^\]]*)\]\]?\s*(?:#.*)?$/.exec(lines[index]!);
    return match ? match[1]!.replace(/\s*\.\s*/g, '.').trim() : undefined;
  };
  return {
    file,
    root,
    // smol-toml keeps no positions. Find the deepest table header on the path, then the key that
    // continues the path inside that table's section (inline tables and arrays stay on its line).
    positionOf(path) {
      const keys = path.map((key) => tomlKey(String(key)));
      for (let depth = keys.length; depth >= 0; depth--) {
        const header = keys.slice(0, depth).join('.');
        const start = depth === 0 ? -1 : lines.findIndex((_, i) => headerAt(i) === header);
        if (depth > 0 && start === -1) continue;
        const next = keys[depth];
        if (next !== undefined) {
          for (let i = start + 1; i < lines.length && headerAt(i) === undefined; i++) {
            const match = new RegExp(`^(\\s*)${escapeRegExp(next)}\\s*=`).exec(lines[i]!);
            if (match) return { line: i + 1, column: match[1]!.length + 1 };
          }
        }
        if (depth > 0) return { line: start + 1, column: lines[start]!.indexOf('[') + 1 };
      }
      return { line: 1, column: 1 };
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

/** TOML dates and bigints have no JSON form; config entries never need them as more than text. */
function toJson(value: unknown): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const out: JsonObject = Object.create(null) as JsonObject;
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) out[key] = toJson(inner);
    return out;
  }
  return String(value);
}

/** A `config-invalid` error pointing at `path` in the document. */
export function invalidAt(doc: ConfigDocument, path: JsonPath, message: string): GuardError {
  const { line, column } = doc.positionOf(path);
  return new GuardError('config-invalid', message, {
    location: { file: doc.file, line, column },
  });
}

export function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `mcpServers.notes`, `projects["/home/me/app"].mcpServers.notes`: readable and unambiguous. */
export function formatPointer(path: JsonPath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}
