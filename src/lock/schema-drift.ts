import type { JsonObject, JsonValue } from '../model.js';
import { brief, joinPath, jsonEqual } from './json-equal.js';

// Compares two JSON Schemas keyword by keyword and says, for each difference, whether the set of
// accepted instances grew (widened), shrank (narrowed), stayed the same, or cannot be told. What is
// blocking depends on where the schema sits (input vs output), so that decision is left to the caller.
// Anything this module does not understand is 'unclassified', and callers block on it (fail closed).

export type SchemaChangeClass = 'text' | 'widened' | 'narrowed' | 'equivalent' | 'unclassified';

export interface SchemaChange {
  path: string;
  class: SchemaChangeClass;
  detail: string;
  /**
   * The change puts new strings in front of the model (a property name, an enum value, a description
   * inside an added subschema). Every part of a schema reaches the model's context.
   */
  introducesText: boolean;
  before?: JsonValue;
  after?: JsonValue;
}

/** Keywords whose value is prose or sample data for the reader, not a constraint. */
const TEXT_KEYWORDS = new Set([
  'description',
  'title',
  '$comment',
  'examples',
  'default',
  'markdownDescription',
  'enumDescriptions',
  'markdownEnumDescriptions',
  'deprecationMessage',
  'errorMessage',
]);

const LOWER_BOUNDS = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties', 'minContains']);
const UPPER_BOUNDS = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties', 'maxContains']);
/** Absent means "anything", a subschema narrows it, `false` forbids. */
const OPEN_BY_DEFAULT = new Set(['additionalProperties', 'unevaluatedProperties', 'additionalItems', 'unevaluatedItems']);
/** Keywords that hold one subschema with the same polarity as their parent. */
const NESTED_SCHEMA = new Set(['items', 'contains', 'propertyNames', 'contentSchema']);
/** Absent means unconstrained; adding one narrows, removing one widens; changing one cannot be ordered. */
const OPTIONAL_CONSTRAINT = new Set(['pattern', 'format', 'contentMediaType', 'contentEncoding']);

const ALL_TYPES = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];

type Emit = (change: SchemaChange) => void;

export function compareSchemas(before: JsonValue | undefined, after: JsonValue | undefined, path: string): SchemaChange[] {
  const changes: SchemaChange[] = [];
  compareSchema(before, after, path, (change) => changes.push(change));
  return changes;
}

function change(
  path: string,
  cls: SchemaChangeClass,
  detail: string,
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  introducesText = false,
): SchemaChange {
  const result: SchemaChange = { path, class: cls, detail, introducesText };
  if (before !== undefined) result.before = before;
  if (after !== undefined) result.after = after;
  return result;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `true` and `{}` accept everything; absent subschemas do too. */
function isOpen(schema: JsonValue | undefined): boolean {
  return schema === undefined || schema === true || (isObject(schema) && Object.keys(schema).length === 0);
}

/** Whether a subschema carries anything a reader would read as text. */
export function containsText(value: JsonValue | undefined): boolean {
  if (value === null || value === undefined || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(containsText);
  for (const key of Object.keys(value)) {
    if (TEXT_KEYWORDS.has(key) || key === 'enum' || key === 'const') return true;
    if (key === 'properties' || key === 'patternProperties' || key === '$defs' || key === 'definitions') return true;
    if (containsText(value[key])) return true;
  }
  return false;
}

function compareSchema(before: JsonValue | undefined, after: JsonValue | undefined, path: string, emit: Emit): void {
  if (jsonEqual(before, after)) return;
  if (isOpen(before) && isOpen(after)) {
    emit(change(path, 'equivalent', `${brief(before)} → ${brief(after)} (both accept anything)`, before, after));
    return;
  }
  if (before === false) {
    emit(change(path, 'widened', `schema was false (nothing allowed), now ${brief(after)}`, before, after, containsText(after)));
    return;
  }
  if (after === false) {
    emit(change(path, 'narrowed', `schema is now false (nothing allowed)`, before, after));
    return;
  }
  const a: JsonObject | undefined = before === true || before === undefined ? {} : isObject(before) ? before : undefined;
  const b: JsonObject | undefined = after === true || after === undefined ? {} : isObject(after) ? after : undefined;
  if (!a || !b) {
    emit(change(path, 'unclassified', `${brief(before)} → ${brief(after)}`, before, after, true));
    return;
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const key of keys) {
    const x = Object.hasOwn(a, key) ? a[key] : undefined;
    const y = Object.hasOwn(b, key) ? b[key] : undefined;
    if (jsonEqual(x, y)) continue;
    compareKeyword(key, x, y, joinPath(path, key), emit);
  }
}

function compareKeyword(key: string, x: JsonValue | undefined, y: JsonValue | undefined, path: string, emit: Emit): void {
  if (TEXT_KEYWORDS.has(key)) {
    const verb = x === undefined ? 'added' : y === undefined ? 'removed' : 'changed';
    emit(change(path, 'text', `${key} ${verb}`, x, y, y !== undefined));
  } else if (key === 'type') {
    compareType(x, y, path, emit);
  } else if (key === 'properties' || key === 'patternProperties') {
    compareSchemaMap(key, x, y, path, emit);
  } else if (key === '$defs' || key === 'definitions') {
    compareDefinitions(x, y, path, emit);
  } else if (key === 'dependentSchemas') {
    compareDependentSchemas(x, y, path, emit);
  } else if (key === 'required') {
    compareRequired(x, y, path, emit);
  } else if (OPEN_BY_DEFAULT.has(key)) {
    compareOpenByDefault(key, x, y, path, emit);
  } else if (key === 'enum') {
    compareEnum(x, y, path, emit);
  } else if (key === 'const') {
    if (x === undefined) emit(change(path, 'narrowed', `const ${brief(y)} added`, x, y, true));
    else if (y === undefined) emit(change(path, 'widened', `const ${brief(x)} removed`, x, y));
    else emit(change(path, 'unclassified', `const ${brief(x)} → ${brief(y)}`, x, y, true));
  } else if (LOWER_BOUNDS.has(key) || UPPER_BOUNDS.has(key)) {
    compareBound(key, x, y, path, emit);
  } else if (key === 'multipleOf') {
    compareMultipleOf(x, y, path, emit);
  } else if (OPTIONAL_CONSTRAINT.has(key)) {
    if (x === undefined) emit(change(path, 'narrowed', `${key} ${brief(y)} added`, x, y));
    else if (y === undefined) emit(change(path, 'widened', `${key} ${brief(x)} removed`, x, y));
    else emit(change(path, 'unclassified', `${key} ${brief(x)} → ${brief(y)}`, x, y, true));
  } else if (key === 'uniqueItems' || key === 'nullable') {
    compareFlag(key, x, y, path, emit);
  } else if (key === 'items' && (Array.isArray(x) || Array.isArray(y))) {
    compareTuple(key, x, y, path, emit);
  } else if (key === 'prefixItems') {
    compareTuple(key, x, y, path, emit);
  } else if (NESTED_SCHEMA.has(key)) {
    compareSchema(x, y, path, emit);
  } else if (key === 'anyOf' || key === 'oneOf') {
    compareAlternatives(key, x, y, path, emit, 'union');
  } else if (key === 'allOf') {
    compareAlternatives(key, x, y, path, emit, 'intersection');
  } else {
    // not, if/then/else, $ref, dependentRequired, nested $schema, vendor keywords, …
    const verb = x === undefined ? `${key} added` : y === undefined ? `${key} removed` : `${key} changed`;
    emit(change(path, 'unclassified', `${verb}: ${brief(x)} → ${brief(y)}`, x, y, y !== undefined));
  }
}

function typeSet(value: JsonValue | undefined): string[] | undefined {
  if (value === undefined) return ALL_TYPES;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((t) => typeof t === 'string')) return value as string[];
  return undefined;
}

/** Whether every instance of type `t` is accepted by the type list `set` (`integer` ⊂ `number`). */
function covers(set: readonly string[], t: string): boolean {
  return set.includes(t) || (t === 'integer' && set.includes('number'));
}

function compareType(x: JsonValue | undefined, y: JsonValue | undefined, path: string, emit: Emit): void {
  const before = typeSet(x);
  const after = typeSet(y);
  const detail = `type ${x === undefined ? 'absent (any)' : brief(x)} → ${y === undefined ? 'absent (any)' : brief(y)}`;
  if (!before || !after) {
    emit(change(path, 'unclassified', detail, x, y));
    return;
  }
  const grew = !after.every((t) => covers(before, t));
  const shrank = !before.every((t) => covers(after, t));
  const cls: SchemaChangeClass = grew && shrank ? 'unclassified' : grew ? 'widened' : shrank ? 'narrowed' : 'equivalent';
  emit(change(path, cls, detail, x, y));
}

function asSchemaMap(value: JsonValue | undefined): JsonObject | undefined {
  return value === undefined ? {} : isObject(value) ? value : undefined;
}

function compareSchemaMap(key: string, x: JsonValue | undefined, y: JsonValue | undefined, path: string, emit: Emit): void {
  const a = asSchemaMap(x);
  const b = asSchemaMap(y);
  if (!a || !b) {
    emit(change(path, 'unclassified', `${key} ${brief(x)} → ${brief(y)}`, x, y, true));
    return;
  }
  const noun = key === 'properties' ? 'property' : 'pattern property';
  for (const name of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const inA = Object.hasOwn(a, name);
    const inB = Object.hasOwn(b, name);
    const at = joinPath(path, name);
    if (inA && inB) compareSchema(a[name], b[name], at, emit);
    else if (inB) emit(change(at, 'widened', `new ${noun} ${JSON.stringify(name)}`, undefined, b[name], true));
    else emit(change(at, 'narrowed', `${noun} ${JSON.stringify(name)} removed`, a[name], undefined));
  }
}

function compareDefinitions(x: JsonValue | undefined, y: JsonValue | undefined, path: string, emit: Emit): void {
  const a = asSchemaMap(x);
  const b = asSchemaMap(y);
  if (!a || !b) {
    emit(change(path, 'unclassified', `definitions ${brief(x)} → ${brief(y)}`, x, y, true));
    return;
  }
  for (const name of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const inA = Object.hasOwn(a, name);
    const inB = Object.hasOwn(b, name);
    const at = joinPath(path, name);
    // Whether a definition widens or narrows depends on every $ref that reaches it; not worth guessing.
    if (inA && inB) compareSchema(a[name], b[name], at, emit);
    else if (inB) emit(change(at, 'unclassified', `definition ${JSON.stringify(name)} added`, undefined, b[name], true));
    else emit(change(at, 'unclassified', `definition ${JSON.stringify(name)} removed`, a[name], undefined));
  }
}

function compareDependentSchemas(x: JsonValue | undefined, y: JsonValue | undefined, path: string, emit: Emit): void {
  const a = asSchemaMap(x);
  const b = asSchemaMap(y);
  if (!a || !b) {
    emit(change(path, 'unclassified', `dependentSchemas ${brief(x)} → ${brief(y)}`, x, y, true));
    return;
  }
  for (const name of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const at = joinPath(path, name);
    if (Object.hasOwn(a, name) && Object.hasOwn(b, name)) compareSchema(a[name], b[name], at, emit);
    else if (Object.hasOwn(b, name)) emit(change(at, 'narrowed', `dependent schema for ${JSON.stringify(name)} added`, undefined, b[name], containsText(b[name])));
    else emit(change(at, 'widened', `dependent schema for ${JSON.stringify(name)} removed`, a[name], undefined));
  }
}

function stringList(value: JsonValue | undefined): string[] | undefined {
  if (value === undefined) return [];
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}

function compareRequired(x: JsonValue | undefined, y: JsonValue | undefined, path: string, emit: Emit): void {
  const a = stringList(x);
  const b = stringList(y);
  if (!a || !b) {
    emit(change(path, 'unclassified', `required ${brief(x)} → ${brief(y)}`, x, y));
    return;
  }
  const dropped = a.filter((name) => !b.includes(name));
  const added = b.filter((name) => !a.includes(name));
  for (const name of dropped) emit(change(path, 'widened', `${JSON.stringify(name)} no longer required`, x, y));
  for (const name of added) emit(change(path, 'narrowed', `${JSON.stringify(name)} now required`, x, y));
  if (dropped.length === 0 && added.length === 0) emit(change(path, 'equivalent', `required ${brief(x)} → ${brief(y)} (same names)`, x, y));
}

function compareOpenByDefault(key: string, x: JsonValue | undefined, y: JsonValue | undefined, path: string, emit: Emit): void {
  const show = (v: JsonValue | undefined): string => (v === undefined ? 'absent (open)' : brief(v));
  const detail = `${key} ${show(x)} → ${show(y)}`;
  if (isOpen(x) && isOpen(y)) emit(change(path, 'equivalent', `${detail} (both open)`, x, y));
  else if (x === false) emit(change(path, 'widened', `${detail}: opened`, x, y, containsText(y)));
  else if (y === false) emit(change(path, 'narrowed', `${detail}: closed`, x, y));
  else if (isOpen(x)) emit(change(path, 'narrowed', detail, x, y, containsText(y)));
  else if (isOpen(y)) emit(change(path, 'widened', `${detail}: opened`, x, y));
  else compareSchema(x, y, path, emit);
}

function compareEnum(x: JsonValue | undefined, y: JsonValue | undefined, path: string, emit: Emit): void {
  if (x === undefined) {
    emit(change(path, 'narrowed', `enum ${brief(y)} added`, x, y, true));
    return;
  }
  if (y === undefined) {
    emit(change(path, 'widened', `enum removed (any value accepted now, was ${brief(x)})`, x, y));
    return;
  }
  if (!Array.isArray(x) || !Array.isArray(y)) {
    emit(change(path, 'unclassified', `enum ${brief(x)} → ${brief(y)}`, x, y, true));
    return;
  }
  const gained = y.filter((value) => !x.some((old) => jsonEqual(old, value)));
  const lost = x.filter((value) => !y.some((now) => jsonEqual(now, value)));
  if (gained.length > 0) emit(change(path, 'widened', `enum gained ${gained.map((v) => brief(v)).join(', ')}`, x, y, true));
  if (lost.length > 0) emit(change(path, 'narrowed', `enum lost ${lost.map((v) => brief(v)).join(', ')}`, x, y));
  if (gained.length === 0 && lost.length === 0) emit(change(path, 'equivalent', 'enum reordered', x, y));
}

function compareBound(key: string, x: JsonValue | undefined, y: JsonValue | undefined, path: string, emit: Emit): void {
  const detail = `${key} ${brief(x)} → ${brief(y)}`;
  if ((x !== undefined && typeof x !== 'number') || (y !== undefined && typeof y !== 'number')) {
    // e.g. draft-04 boolean exclusiveMinimum: meaning depends on a sibling keyword.
    emit(change(path, 'unclassified', detail, x, y));
    return;
  }
  const isLower = LOWER_BOUNDS.has(key);
  const none = isLower ? -Infinity : Infinity;
  const a = x ?? none;
  const b = y ?? none;
  const loosened = isLower ? b < a : b > a;
  emit(change(path, loosened ? 'widened' : 'narrowed', y === undefined ? `${detail} (removed)` : detail, x, y));
}

function compareMultipleOf(x: JsonValue | undefined, y: JsonValue | undefined, path: string, emit: Emit): void {
  const detail = `multipleOf ${brief(x)} → ${brief(y)}`;
  if (x === undefined) emit(change(path, 'narrowed', detail, x, y));
  else if (y === undefined) emit(change(path, 'widened', detail, x, y));
  else if (typeof x === 'number' && typeof y === 'number' && x > 0 && y > 0 && Number.isInteger(y / x)) emit(change(path, 'narrowed', detail, x, y));
  else if (typeof x === 'number' && typeof y === 'number' && x > 0 && y > 0 && Number.isInteger(x / y)) emit(change(path, 'widened', detail, x, y));
  else emit(change(path, 'unclassified', detail, x, y));
}

/** `uniqueItems` narrows when true; OpenAPI's `nullable` widens when true. */
function compareFlag(key: string, x: JsonValue | undefined, y: JsonValue | undefined, path: string, emit: Emit): void {
  const detail = `${key} ${brief(x)} → ${brief(y)}`;
  if ((x !== undefined && typeof x !== 'boolean') || (y !== undefined && typeof y !== 'boolean')) {
    emit(change(path, 'unclassified', detail, x, y));
    return;
  }
  const a = x === true;
  const b = y === true;
  if (a === b) emit(change(path, 'equivalent', detail, x, y));
  else if ((key === 'nullable') === b) emit(change(path, 'widened', detail, x, y));
  else emit(change(path, 'narrowed', detail, x, y));
}

function compareTuple(key: string, x: JsonValue | undefined, y: JsonValue | undefined, path: string, emit: Emit): void {
  if (Array.isArray(x) && Array.isArray(y) && x.length === y.length) {
    x.forEach((item, index) => compareSchema(item, y[index], joinPath(path, index), emit));
    return;
  }
  // Length changes interact with additionalItems / items; fail closed rather than guess.
  emit(change(path, 'unclassified', `${key} ${brief(x)} → ${brief(y)}`, x, y, true));
}

function compareAlternatives(
  key: string,
  x: JsonValue | undefined,
  y: JsonValue | undefined,
  path: string,
  emit: Emit,
  mode: 'union' | 'intersection',
): void {
  // Adding an anyOf/oneOf branch (or dropping an allOf member) accepts more instances.
  const more: SchemaChangeClass = mode === 'union' ? 'widened' : 'narrowed';
  const fewer: SchemaChangeClass = mode === 'union' ? 'narrowed' : 'widened';
  if (x === undefined) {
    // A new union restricts to its branches; a new intersection restricts too.
    emit(change(path, 'narrowed', `${key} added`, x, y, containsText(y)));
    return;
  }
  if (y === undefined) {
    emit(change(path, 'widened', `${key} removed`, x, y));
    return;
  }
  if (!Array.isArray(x) || !Array.isArray(y)) {
    emit(change(path, 'unclassified', `${key} ${brief(x)} → ${brief(y)}`, x, y, true));
    return;
  }
  if (x.length === y.length) {
    x.forEach((item, index) => compareSchema(item, y[index], joinPath(path, index), emit));
    return;
  }
  const gained = y.filter((branch) => !x.some((old) => jsonEqual(old, branch)));
  const lost = x.filter((branch) => !y.some((now) => jsonEqual(now, branch)));
  if (lost.length === 0) emit(change(path, more, `${key} gained ${gained.length} member(s)`, x, y, containsText(gained)));
  else if (gained.length === 0) emit(change(path, fewer, `${key} lost ${lost.length} member(s)`, x, y));
  else emit(change(path, 'unclassified', `${key} members changed`, x, y, true));
}
