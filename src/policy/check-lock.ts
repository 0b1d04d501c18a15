// `policy check --lock`: a rule that names a server, tool or argument the lock does not have can
// never match, and a deny rule that never matches is a hole the user believes is closed. So each is
// an error (design §4), reported with the rule's file:line.

import type { JsonObject, JsonValue } from '../model.js';
import { isGlob } from './arguments.js';
import type { ArgumentMatcher, Policy, PolicyLocation, PolicyRule } from './types.js';

/** The part of mcp.lock this check reads (structurally a subset of src/lock's LockFile). */
export interface LockedTools {
  servers: Record<string, { tools?: Record<string, { definition: JsonObject }> }>;
}

export interface PolicyProblem {
  location: PolicyLocation;
  message: string;
}

export function checkPolicyAgainstLock(policy: Policy, lock: LockedTools): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const server of policy.servers.values()) {
    const locked = Object.prototype.hasOwnProperty.call(lock.servers, server.name) ? lock.servers[server.name] : undefined;
    if (!locked) {
      problems.push({ location: server.location, message: `server "${server.name}" is not in the lock` });
      continue;
    }
    const tools = locked.tools ?? {};
    const toolNames = Object.keys(tools).sort();
    for (const rule of server.rules) {
      const matched = toolNames.filter((name) => rule.toolPattern.testExact(name));
      if (matched.length === 0) {
        problems.push({ location: rule.location, message: noToolMessage(rule, server.name, toolNames) });
        continue;
      }
      for (const matcher of rule.match) {
        if (matcher.path.length === 0) continue;
        const lacking = matched.filter((name) => !schemaHasPath(inputSchemaOf(tools[name]!.definition), matcher.path));
        if (lacking.length > 0) problems.push({ location: matcher.location, message: noArgumentMessage(rule, matcher, lacking) });
      }
    }
  }
  return problems.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
}

function noToolMessage(rule: PolicyRule, server: string, toolNames: string[]): string {
  const what = isGlob(rule.tool) ? `tool pattern "${rule.tool}" matches no tool` : `tool "${rule.tool}" does not exist`;
  const near = toolNames.filter((name) => name.toLowerCase() === rule.tool.toLowerCase());
  const hint = near.length > 0 ? `; did you mean "${near[0]}"?` : '';
  return `${what} on server "${server}" in the lock${hint}`;
}

function noArgumentMessage(rule: PolicyRule, matcher: ArgumentMatcher, lacking: string[]): string {
  const tools = lacking.length === 1 ? `tool "${lacking[0]}"` : `tools ${lacking.map((name) => `"${name}"`).join(', ')}`;
  const via = isGlob(rule.tool) ? ` (matched by "${rule.tool}")` : '';
  return `argument "${matcher.pathText}" does not exist in the locked input schema of ${tools}${via}`;
}

function inputSchemaOf(definition: JsonObject): JsonValue | undefined {
  return definition['inputSchema'];
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MAX_DEPTH = 64;

/**
 * Whether `path` can name a value in arguments valid under `schema`. A level that declares
 * `properties` must declare the segment (a typo is likelier than an undeclared extra argument);
 * a level that declares nothing (`{}`, or only `additionalProperties: {…}`) accepts any name, since
 * the schema says any may exist. Combinators accept a path any branch accepts; local `$ref`s are
 * followed.
 */
export function schemaHasPath(schema: JsonValue | undefined, path: readonly string[], root: JsonValue | undefined = schema, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  if (schema === true) return true;
  if (!isObject(schema)) return false;
  if (path.length === 0) return true;
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    const target = resolveLocalRef(root, ref);
    if (target !== undefined && schemaHasPath(target, path, root, depth + 1)) return true;
  }
  for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = schema[keyword];
    if (Array.isArray(branches) && branches.some((branch) => schemaHasPath(branch, path, root, depth + 1))) return true;
  }
  const [segment, ...rest] = path as [string, ...string[]];
  const properties = schema['properties'];
  if (isObject(properties) && Object.prototype.hasOwnProperty.call(properties, segment)) {
    return schemaHasPath(properties[segment], rest, root, depth + 1);
  }
  if (/^(0|[1-9][0-9]*)$/.test(segment)) {
    const prefixItems = schema['prefixItems'] ?? (Array.isArray(schema['items']) ? schema['items'] : undefined);
    if (Array.isArray(prefixItems) && Number(segment) < prefixItems.length) {
      return schemaHasPath(prefixItems[Number(segment)], rest, root, depth + 1);
    }
    const items = schema['items'];
    if (isObject(items) || items === true) return schemaHasPath(items, rest, root, depth + 1);
  }
  const declaresProperties = isObject(properties) || isObject(schema['patternProperties']);
  if (!declaresProperties && !isArrayOnly(schema)) {
    const additional = schema['additionalProperties'];
    if (additional === false) return false;
    if (isObject(additional)) return schemaHasPath(additional, rest, root, depth + 1);
    // Nothing declared at this level, and no combinator above found the name either.
    const hasCombinator = ['anyOf', 'oneOf', 'allOf', '$ref'].some((keyword) => keyword in schema);
    return !hasCombinator && isOpenObject(schema);
  }
  return false;
}

function isArrayOnly(schema: JsonObject): boolean {
  return schema['type'] === 'array';
}

function isOpenObject(schema: JsonObject): boolean {
  const type = schema['type'];
  return type === undefined || type === 'object' || (Array.isArray(type) && type.includes('object'));
}

function resolveLocalRef(root: JsonValue | undefined, ref: string): JsonValue | undefined {
  if (!ref.startsWith('#')) return undefined;
  const pointer = ref.slice(1);
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) return undefined;
  let current: JsonValue | undefined = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) current = current[Number(key)];
    else if (isObject(current) && Object.prototype.hasOwnProperty.call(current, key)) current = current[key];
    else return undefined;
  }
  return current;
}
