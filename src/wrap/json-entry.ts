// Editing one server entry inside a JSON/JSONC config without disturbing the rest of the file:
// comments, trailing commas, key order and formatting outside the entry stay byte for byte.

import { applyEdits, findNodeAtLocation, getNodeValue, modify, parseTree, type FormattingOptions, type ParseError } from 'jsonc-parser';
import type { JsonObject, JsonValue } from '../model.js';
import type { Launch } from './launch.js';
import type { PointerPath } from './pointer.js';

/** How an entry spells its launch. */
export type LaunchShape =
  /** `{command: "npx", args: ["-y", "pkg"]}`: most clients. */
  | 'command-args'
  /** `{command: ["npx", "-y", "pkg"]}`: OpenCode. */
  | 'command-array'
  /** `{command: {path: "npx", args: [...]}}`: Zed's older form. */
  | 'zed-nested';

export interface JsonEntry {
  value: JsonValue;
  offset: number;
  length: number;
}

function parse(text: string): ReturnType<typeof parseTree> {
  const errors: ParseError[] = [];
  // A BOM becomes a space of the same length, so node offsets are offsets in the real text.
  const body = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const tree = parseTree(body, errors, { allowTrailingComma: true, disallowComments: false });
  return errors.length > 0 ? undefined : tree;
}

export function locateJsonEntry(text: string, path: PointerPath): JsonEntry | undefined {
  const tree = parse(text);
  if (!tree) return undefined;
  const node = findNodeAtLocation(tree, path);
  if (!node) return undefined;
  return { value: getNodeValue(node) as JsonValue, offset: node.offset, length: node.length };
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: JsonValue | undefined): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

export function launchShapeOf(entry: JsonValue): LaunchShape | undefined {
  if (!isObject(entry)) return undefined;
  const command = entry['command'];
  if (typeof command === 'string') return entry['args'] === undefined || isStringArray(entry['args']) ? 'command-args' : undefined;
  if (isStringArray(command) && command.length > 0) return 'command-array';
  if (isObject(command) && typeof command['path'] === 'string') {
    return command['args'] === undefined || isStringArray(command['args']) ? 'zed-nested' : undefined;
  }
  return undefined;
}

/** The launch exactly as written in the entry (placeholders unexpanded). */
export function readJsonLaunch(entry: JsonValue, shape: LaunchShape): Launch {
  const object = entry as JsonObject;
  switch (shape) {
    case 'command-args':
      return { command: object['command'] as string, args: (object['args'] as string[] | undefined) ?? [] };
    case 'command-array': {
      const [command, ...args] = object['command'] as string[];
      return { command: command!, args };
    }
    case 'zed-nested': {
      const nested = object['command'] as JsonObject;
      return { command: nested['path'] as string, args: (nested['args'] as string[] | undefined) ?? [] };
    }
  }
}

export function setJsonLaunch(text: string, path: PointerPath, shape: LaunchShape, launch: Launch): string {
  const options = { formattingOptions: detectFormatting(text) };
  const set = (current: string, at: PointerPath, value: JsonValue): string => applyEdits(current, modify(current, at, value, options));
  switch (shape) {
    case 'command-args':
      return set(set(text, [...path, 'command'], launch.command), [...path, 'args'], launch.args);
    case 'command-array':
      return set(text, [...path, 'command'], [launch.command, ...launch.args]);
    case 'zed-nested':
      return set(set(text, [...path, 'command', 'path'], launch.command), [...path, 'command', 'args'], launch.args);
  }
}

/** Indentation and line ends as the file already uses them. */
export function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indented = /^([ \t]+)\S/m.exec(text);
  const indent = indented?.[1] ?? '  ';
  return indent.startsWith('\t') ? { insertSpaces: false, tabSize: 1, eol } : { insertSpaces: true, tabSize: indent.length, eol };
}

export function replaceRange(text: string, offset: number, length: number, replacement: string): string {
  return `${text.slice(0, offset)}${replacement}${text.slice(offset + length)}`;
}
