// Reads a policy file: YAML → JSON Schema (ajv) → compiled rules. Every error names file:line:column
// through the YAML node ranges, and a regex re2js refuses (backreferences, lookaround) is an error
// here rather than a rule that silently never matches.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Document, LineCounter } from 'yaml';
import { yaml } from '../io/yaml.js';
import { GuardError } from '../errors.js';
import {
  compileArgumentPreset,
  compileArgumentRegex,
  compileToolGlob,
  parseArgumentPath,
  WHOLE_ARGUMENTS,
} from './arguments.js';
import { POLICY_SCHEMA } from './schema.js';
import { isValidPolicyShape } from './shape-check.js';
import {
  RATE_UNITS,
  type ArgumentMatcher,
  type ArgumentPresetName,
  type Policy,
  type PolicyAction,
  type PolicyLocation,
  type PolicyPreset,
  type PolicyRule,
  type RateSpec,
  type RateUnit,
  type ServerPolicy,
} from './types.js';

let validator: ValidateFunction | undefined;

function validatePolicyShape(value: unknown): ErrorObject[] {
  if (isValidPolicyShape(value)) return [];
  // Loaded only now, synchronously (ajv is CommonJS), so parsePolicy stays a plain function. The
  // schema is a constant checked against the meta-schema by test/policy/schema.test.ts; skipping
  // that check here saves most of the compile time.
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  validator ??= new Ajv({ allErrors: true, strict: true, validateSchema: false }).compile(POLICY_SCHEMA);
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

export async function readPolicy(file: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot read the file';
    throw new GuardError('policy-invalid', `policy: ${reason}`, { location: { file }, cause: error });
  }
  return parsePolicy(text, file);
}

interface RawRule {
  tool: string;
  action: PolicyAction;
  reason?: string;
  match?: Record<string, string | { regex: string } | { preset: ArgumentPresetName }>;
  rate?: string;
}
interface RawServer {
  preset?: PolicyPreset;
  default?: PolicyAction;
  rules?: RawRule[];
}
interface RawPolicy {
  version: 1;
  default?: PolicyAction;
  servers?: Record<string, RawServer>;
}

export function parsePolicy(text: string, file: string): Policy {
  const lineCounter = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const locate = (path: (string | number)[], key = false): PolicyLocation => locationOf(doc, lineCounter, file, path, key);
  const parseError = doc.errors[0];
  if (parseError) {
    const { line, col } = lineCounter.linePos(parseError.pos[0]);
    const message = (parseError.message.split('\n')[0] ?? parseError.code).replace(/ at line \d+, column \d+:?$/, '');
    throw new GuardError('policy-invalid', `invalid YAML: ${message}`, { location: { file, line, column: col } });
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    throw new GuardError('policy-invalid', `invalid YAML: ${(error as Error).message}`, { location: { file, line: 1 } });
  }
  if (raw === null || raw === undefined) {
    throw new GuardError('policy-invalid', 'the policy file is empty', { location: { file, line: 1 }, hint: 'start it with `version: 1`' });
  }
  const errors = validatePolicyShape(raw);
  if (errors.length > 0) throw schemaError(errors, locate);

  const policy = raw as RawPolicy;
  const servers = new Map<string, ServerPolicy>();
  for (const [name, server] of Object.entries(policy.servers ?? {})) {
    const rules = (server.rules ?? []).map((rule, index) =>
      compileRule(rule, index, ['servers', name, 'rules', index], locate),
    );
    const compiled: ServerPolicy = { name, rules, location: locate(['servers', name], true) };
    if (server.preset) compiled.preset = server.preset;
    if (server.default) compiled.default = server.default;
    servers.set(name, compiled);
  }
  return { file, version: 1, default: policy.default ?? 'allow', servers };
}

function compileRule(
  rule: RawRule,
  index: number,
  path: (string | number)[],
  locate: (path: (string | number)[], key?: boolean) => PolicyLocation,
): PolicyRule {
  const location = locate(path);
  let toolPattern;
  try {
    toolPattern = compileToolGlob(rule.tool);
  } catch (error) {
    throw policyErrorAt(locate([...path, 'tool']), `cannot compile the tool glob: ${(error as Error).message}`);
  }
  const match: ArgumentMatcher[] = [];
  for (const [pathText, spec] of Object.entries(rule.match ?? {})) {
    const at = locate([...path, 'match', pathText], true);
    const segments = parseArgumentPath(pathText);
    if (pathText !== WHOLE_ARGUMENTS && segments.some((segment) => segment.length === 0)) {
      throw policyErrorAt(at, `argument path "${pathText}" has an empty segment`, 'use dots between names, e.g. options.mode, or $ for all arguments');
    }
    if (typeof spec === 'object' && 'preset' in spec) {
      match.push({ pathText, path: segments, pattern: spec.preset, preset: spec.preset, regex: compileArgumentPreset(spec.preset), location: at });
      continue;
    }
    const source = typeof spec === 'string' ? spec : spec.regex;
    try {
      match.push({ pathText, path: segments, pattern: source, regex: compileArgumentRegex(source), location: at });
    } catch (error) {
      throw policyErrorAt(
        locate([...path, 'match', pathText]),
        `regex for "${pathText}" is not supported: ${(error as Error).message}`,
        'patterns run on RE2 (linear time): backreferences and lookaround are not available',
      );
    }
  }
  const compiled: PolicyRule = { index, tool: rule.tool, toolPattern, match, action: rule.action, location };
  if (rule.reason !== undefined) compiled.reason = rule.reason;
  if (rule.rate !== undefined) compiled.rate = parseRate(rule.rate);
  return compiled;
}

export function parseRate(text: string): RateSpec {
  const [count, unit] = text.split('/') as [string, RateUnit];
  return { count: Number(count), unit, periodMs: RATE_UNITS[unit], text };
}

function policyErrorAt(location: PolicyLocation, message: string, hint?: string): GuardError {
  return new GuardError('policy-invalid', message, hint ? { location, hint } : { location });
}

function schemaError(errors: ErrorObject[], locate: (path: (string | number)[], key?: boolean) => PolicyLocation): GuardError {
  // A failed `oneOf` reports every branch; the branch errors below it only add noise.
  const oneOf = errors.find((error) => error.keyword === 'oneOf');
  const chosen =
    oneOf ??
    errors.reduce((best, error) => (error.instancePath.length > best.instancePath.length ? error : best), errors[0]!);
  const path = chosen.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment));
  const where = path.length > 0 ? `${path.join('.')}: ` : '';
  switch (chosen.keyword) {
    case 'additionalProperties': {
      const key = String((chosen.params as { additionalProperty: string }).additionalProperty);
      return policyErrorAt(locate([...path, key], true), `${where}unknown key "${key}"`);
    }
    case 'required': {
      const key = String((chosen.params as { missingProperty: string }).missingProperty);
      return policyErrorAt(locate(path), `${where}missing required key "${key}"`);
    }
    case 'enum': {
      const allowed = (chosen.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ');
      return policyErrorAt(locate(path), `${where}must be one of: ${allowed}`);
    }
    case 'const':
      return policyErrorAt(locate(path), `${where}must be ${JSON.stringify((chosen.params as { allowedValue: unknown }).allowedValue)}`);
    case 'oneOf':
      return policyErrorAt(locate(path), `${where}must be a regex string, {regex: "..."} or {preset: path-traversal | shell-metacharacters | sql-ddl}`);
    case 'pattern':
      if (path[path.length - 1] === 'rate') return policyErrorAt(locate(path), `${where}must look like 30/minute (N/second, N/minute or N/hour)`);
      return policyErrorAt(locate(path), `${where}${chosen.message ?? 'is invalid'}`);
    default:
      return policyErrorAt(locate(path), `${where}${chosen.message ?? 'is invalid'}`);
  }
}

function locationOf(
  doc: Document,
  lineCounter: LineCounter,
  file: string,
  path: (string | number)[],
  key: boolean,
): PolicyLocation {
  for (let length = path.length; length >= 0; length--) {
    const prefix = path.slice(0, length);
    let offset: number | undefined;
    if (key && length === path.length && length > 0) {
      const parent = prefix.length > 1 ? doc.getIn(prefix.slice(0, -1), true) : doc.contents;
      if (yaml.isMap(parent)) {
        const pair = parent.items.find((item) => yaml.isPair(item) && yaml.isScalar(item.key) && item.key.value === prefix[prefix.length - 1]);
        if (pair && yaml.isScalar(pair.key)) offset = pair.key.range?.[0];
      }
    }
    if (offset === undefined) {
      const node = length === 0 ? doc.contents : doc.getIn(prefix, true);
      if (node && typeof node === 'object' && 'range' in node) offset = (node as { range?: [number, number, number] }).range?.[0];
    }
    if (offset !== undefined) {
      const { line, col } = lineCounter.linePos(offset);
      return { file, line, column: col };
    }
  }
  return { file, line: 1, column: 1 };
}
