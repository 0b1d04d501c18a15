import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { validateLockSchema } from '../../src/lock/lock-schema-validator.generated.js';
import { entityDigests } from '../../src/lock/digest.js';
import { escapePointer, validateLock } from '../../src/lock/lock-validate.js';

/** What the plain-JavaScript build script exports. */
interface BuildScript {
  AJV_OPTIONS: Readonly<Record<string, unknown>>;
  GENERATED_PATH: string;
  SCHEMA_PATH: string;
  lockValidatorSource(schemaText?: string): string;
}
const { AJV_OPTIONS, GENERATED_PATH, SCHEMA_PATH, lockValidatorSource } = (await import(
  new URL('../../scripts/build-lock-validator.mjs', import.meta.url).href
)) as BuildScript;

// The committed validator must say exactly what ajv says when it compiles the schema at run time:
// same verdict, same errors (path, keyword, params, message), hence the same lock-invalid messages.

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const schemaText = readFileSync(SCHEMA_PATH, 'utf8');
const compiled = new Ajv2020({ ...AJV_OPTIONS }).compile(JSON.parse(schemaText) as object);

function verdicts(value: unknown): { generated: ErrorObject[] | null; compiled: ErrorObject[] | null } {
  return {
    generated: validateLockSchema(value) ? null : structuredClone(validateLockSchema.errors ?? []),
    compiled: compiled(value) ? null : structuredClone(compiled.errors ?? []),
  };
}

const locksDir = new URL('../../fixtures/locks/', import.meta.url);
const invalidDir = new URL('invalid/', locksDir);
const lockFixtures: Array<[string, string]> = [
  ...readdirSync(locksDir).filter((n) => n.endsWith('.mcp.lock')).map((n): [string, string] => [n, readFileSync(new URL(n, locksDir), 'utf8')]),
  ...readdirSync(invalidDir).filter((n) => n.endsWith('.mcp.lock')).map((n): [string, string] => [`invalid/${n}`, readFileSync(new URL(n, invalidDir), 'utf8')]),
];

const DIGEST = `sha256:${'ab'.repeat(32)}`;

/** Every part of the schema present once, so mutations reach every branch of it. */
function richLock(): JsonValue {
  const entity = (definition: JsonValue): JsonValue => ({ definition, digests: { full: DIGEST, semantic: DIGEST } });
  return {
    $schema: 'https://raw.githubusercontent.com/mcp-guard/mcp-guard/main/mcp-lock.schema.json',
    lockfileVersion: 1,
    servers: {
      notes: {
        identity: { transport: 'stdio', command: 'node', args: ['notes.js'], cwd: '/w', envNames: ['A', 'B'], headerNames: ['X'] },
        source: { ecosystem: 'npm', name: 'notes', version: '1.0.0', integrity: 'sha512-x', provenance: { status: 'verified', repository: 'r' } },
        protocolVersion: '2025-11-25',
        serverInfo: { name: 'notes', version: '1.0.0' },
        serverCapabilities: {},
        clientCapabilities: {},
        instructions: { text: 'Be brief.', digest: DIGEST },
        tools: { add: entity({ name: 'add', inputSchema: { type: 'object' } }) },
        prompts: { p: entity({ name: 'p' }) },
        resources: { 'file:///a': entity({ uri: 'file:///a', name: 'a' }) },
        resourceTemplates: { 'file:///{x}': entity({ uriTemplate: 'file:///{x}', name: 't' }) },
      },
      remote: { identity: { transport: 'http', url: 'https://x' }, protocolVersion: '1', serverInfo: {}, clientCapabilities: {}, tools: {}, prompts: {}, resources: {}, resourceTemplates: {} },
    },
  };
}

function paths(value: JsonValue, prefix: string[] = []): string[][] {
  const out = [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...paths(item, [...prefix, String(i)])));
  else if (value !== null && typeof value === 'object') for (const key of Object.keys(value)) out.push(...paths(value[key]!, [...prefix, key]));
  return out;
}

function subtrees(value: JsonValue): JsonValue[] {
  return paths(value).map((path) => path.reduce<JsonValue>((node, key) => (node as Record<string, JsonValue>)[key]!, value));
}

type Mutation = { op: 'delete' | 'set'; path: string[]; key: string; value: JsonValue };

/** Applies to a copy; `set` on an object writes `key` (an existing key or a new one) below `path`. */
function mutate(base: JsonValue, mutations: Mutation[]): JsonValue {
  const root = structuredClone(base);
  for (const { op, path, key, value } of mutations) {
    let parent: JsonValue = root;
    for (const segment of path) {
      if (parent === null || typeof parent !== 'object') break;
      parent = (parent as Record<string, JsonValue>)[segment] ?? null;
    }
    if (parent === null || typeof parent !== 'object') continue;
    if (Array.isArray(parent)) {
      const index = Number(key) % (parent.length + 1) || 0;
      if (op === 'delete') parent.splice(index, 1);
      else parent[index] = value;
    } else {
      const target = Object.keys(parent).includes(key) || op === 'set' ? key : Object.keys(parent)[0];
      if (target === undefined) continue;
      if (op === 'delete') delete parent[target];
      else Object.defineProperty(parent, target, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

describe('the generated lock validator', () => {
  test('is what the build script makes of the committed schema today', () => {
    const committed = readFileSync(GENERATED_PATH, 'utf8');
    expect(committed, 'stale: run `node scripts/build-lock-validator.mjs`, review and commit the diff').toBe(lockValidatorSource(schemaText));
  });

  test('goes stale when the schema changes', () => {
    const edited = schemaText.replace('"^sha256:[0-9a-f]{64}$"', '"^sha256:[0-9a-fA-F]{64}$"');
    expect(edited).not.toBe(schemaText);
    expect(lockValidatorSource(edited)).not.toBe(lockValidatorSource(schemaText));
  });

  test('needs nothing from ajv (or anything else) at run time', () => {
    const source = readFileSync(GENERATED_PATH, 'utf8');
    expect(source).not.toMatch(/\brequire\s*\(/);
    expect(source).not.toMatch(/\bimport\s*\(/);
    const imports = source.split('\n').filter((line) => /^\s*(import|export)\b.*\bfrom\b/.test(line));
    expect(imports).toEqual(["import type { ErrorObject } from 'ajv';"]);
  });

  // not-json never reaches a validator.
  test.each(lockFixtures.filter(([name]) => name !== 'invalid/not-json.mcp.lock'))('gives the same errors as a run-time compile for %s', (_name, text) => {
    const { generated, compiled: expected } = verdicts(JSON.parse(text));
    expect(generated).toEqual(expected);
  });

  test.each<[string, unknown]>([
    ['null', null],
    ['an array', []],
    ['a string', 'mcp.lock'],
    ['an empty object', {}],
    ['a version string', { ...(richLock() as object), lockfileVersion: '1' }],
    ['duplicate env names', mutate(richLock(), [{ op: 'set', path: ['servers', 'notes', 'identity'], key: 'envNames', value: ['A', 'A'] }])],
    ['an empty env name', mutate(richLock(), [{ op: 'set', path: ['servers', 'notes', 'identity'], key: 'envNames', value: [''] }])],
    ['a lone surrogate as version', mutate(richLock(), [{ op: 'set', path: ['servers', 'notes', 'source'], key: 'version', value: '\ud800' }])],
    ['an uppercase digest', mutate(richLock(), [{ op: 'set', path: ['servers', 'notes', 'instructions'], key: 'digest', value: DIGEST.toUpperCase() }])],
    ['uppercase hex in a digest', mutate(richLock(), [{ op: 'set', path: ['servers', 'notes', 'instructions'], key: 'digest', value: `sha256:${'AB'.repeat(32)}` }])],
    ['a digest with a trailing newline', mutate(richLock(), [{ op: 'set', path: ['servers', 'notes', 'instructions'], key: 'digest', value: `${DIGEST}\n` }])],
    ['a resource without a uri', mutate(richLock(), [{ op: 'delete', path: ['servers', 'notes', 'resources', 'file:///a', 'definition'], key: 'uri', value: null }])],
    ['a __proto__ server', JSON.parse('{"$schema":"x","lockfileVersion":1,"servers":{"__proto__":{"identity":{}}}}')],
  ])('gives the same errors as a run-time compile for %s', (_name, value) => {
    const { generated, compiled: expected } = verdicts(value);
    expect(generated).toEqual(expected);
  });

  test('the rich base lock used below passes the schema', () => {
    expect(verdicts(richLock())).toEqual({ generated: null, compiled: null });
  });

  test('gives the same verdict and errors as a run-time compile on mutated locks (property)', async () => {
    const fc = await import('fast-check');
    const base = richLock();
    const allPaths = paths(base);
    const names = ['tools', 'source', 'provenance', 'status', 'digest', 'digests', 'definition', 'name', 'uri', 'uriTemplate', 'envNames', 'extra', '__proto__', 'constructor', '0'];
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }) as unknown as import('fast-check').Arbitrary<JsonValue>,
      fc.constantFrom(...subtrees(base)),
      fc.constantFrom<JsonValue>(DIGEST, `sha256:${'AB'.repeat(32)}`, `${DIGEST}0`, 'sha256:', '', 'npm', 'verified', 'trusted', 'stdio', 1, 2, [], {}, ['a', 'a'], ['\ud83d\ude00']),
    );
    const mutation: import('fast-check').Arbitrary<Mutation> = fc.record({
      op: fc.constantFrom<'delete' | 'set'>('delete', 'set'),
      path: fc.constantFrom(...allPaths),
      key: fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 4 })),
      value,
    });
    let rejected = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const { generated, compiled: expected } = verdicts(mutate(base, mutations));
        expect(generated).toEqual(expected);
        if (expected !== null) rejected++;
      }),
      { numRuns: 1500 },
    );
    // The run must have exercised rejections, not only re-accepted the base lock.
    expect(rejected).toBeGreaterThan(500);
  });

  test('feeds validateLock the same pointers and messages as before', () => {
    const lock = mutate(richLock(), [
      { op: 'set', path: ['servers', 'notes', 'source', 'provenance'], key: 'status', value: 'trusted' },
      { op: 'set', path: ['servers', 'notes', 'identity'], key: 'env', value: { TOKEN: 'x' } },
      { op: 'delete', path: ['servers', 'remote'], key: 'clientCapabilities', value: null },
      { op: 'set', path: [], key: 'lockfileVersion', value: 2 },
    ]);
    expect(validateLock(lock)).toEqual([
      { pointer: '/lockfileVersion', message: 'must be 1 (a lock from a newer mcp-guard? upgrade to read it)' },
      { pointer: '/servers/notes/identity/env', message: 'unknown key "env"' },
      {
        pointer: '/servers/notes/source/provenance/status',
        message: 'must be one of "verified", "missing", "invalid", "unavailable", "not-applicable"',
      },
      { pointer: '/servers/remote', message: "must have required property 'clientCapabilities'" },
    ]);
  });
});

// validateLock skips building a syntax tree when it can prove the text has no duplicate key; a lock
// whose only flaw is a duplicate key (digests computed over the last-wins value) must still fail.
describe('duplicate keys in an otherwise valid lock', () => {
  type Tree = null | number | string | Tree[] | { pairs: Array<[string, Tree]> };

  function render(tree: Tree, gap: string): string {
    if (Array.isArray(tree)) return `[${tree.map((t) => render(t, gap)).join(',')}]`;
    if (tree !== null && typeof tree === 'object') return `{${tree.pairs.map(([k, v]) => `${JSON.stringify(k)}${gap}:${render(v, gap)}`).join(',')}}`;
    return JSON.stringify(tree);
  }

  /** Pointers of repeated keys, each once (validateLock lists an issue once). */
  function duplicatePointers(tree: Tree, at: string, out = new Set<string>()): Set<string> {
    if (Array.isArray(tree)) tree.forEach((t, i) => duplicatePointers(t, `${at}/${i}`, out));
    else if (tree !== null && typeof tree === 'object') {
      const seen = new Set<string>();
      for (const [k, v] of tree.pairs) {
        if (seen.has(k)) out.add(`${at}/${escapePointer(k)}`);
        seen.add(k);
        duplicatePointers(v, `${at}/${escapePointer(k)}`, out);
      }
    }
    return out;
  }

  /** The minimal lock with `extraText` as its tool definition's `extra` member, digests made to match. */
  function lockText(extraText: string): string {
    const definitionText = `{"name":"add_note","extra":${extraText}}`;
    const lock = JSON.parse(readFileSync(new URL('minimal.mcp.lock', locksDir), 'utf8')) as { servers: { notes: { tools: Record<string, unknown> } } };
    lock.servers.notes.tools.add_note = { definition: '\u0000DEFINITION', digests: entityDigests('tool', JSON.parse(definitionText)) };
    return JSON.stringify(lock, null, 1).replace('"\\u0000DEFINITION"', definitionText);
  }

  const check = (text: string): ReturnType<typeof validateLock> => validateLock(JSON.parse(text), text);

  test('the construction itself yields a valid lock', () => {
    expect(check(lockText('{"a":[1,{"b":"\\"c\\":"}]}'))).toEqual([]);
  });

  test.each([
    ['a repeated top-level key', (t: string) => t.replace('"lockfileVersion": 1,', '"lockfileVersion": 1,\n "lockfileVersion": 1,'), '/lockfileVersion'],
    ['a repeated __proto__ key', '{"__proto__":1,"__proto__":1}', '/servers/notes/tools/add_note/definition/extra/__proto__'],
    ['a key repeated with whitespace before the colon', '{"k" \n\t:1,"k"\r\n :1}', '/servers/notes/tools/add_note/definition/extra/k'],
  ])('%s is reported', (_name, edit, pointer) => {
    const text = typeof edit === 'string' ? lockText(edit) : edit(lockText('{}'));
    expect(text).not.toBe(lockText('{}'));
    expect(check(text).map((issue) => [issue.pointer, issue.message.startsWith('duplicate key')])).toEqual([[pointer, true]]);
  });

  test('a string of four million escapes neither hides a duplicate nor overflows a stack', () => {
    const long = JSON.stringify('\n'.repeat(4_000_000));
    expect(check(lockText(`{"s":${long}}`))).toEqual([]);
    const issues = check(lockText(`{"s":${long},"s":${long}}`));
    expect(issues.map((issue) => issue.pointer)).toEqual(['/servers/notes/tools/add_note/definition/extra/s']);
  });

  test('is reported exactly when the text repeats a key (property)', async () => {
    const fc = await import('fast-check');
    const key = fc.constantFrom('a', 'b', '__proto__', 'x":', 'y\\', '"', '');
    const scalar = fc.oneof(fc.constant(null), fc.integer(), fc.constantFrom('a', '":', '\\":\\', '{"a":1}', 'z" :'));
    const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.array(tie('tree'), { maxLength: 3 }),
        fc.record({ pairs: fc.array(fc.tuple(key, tie('tree')), { maxLength: 4 }) }),
      ),
    }));
    let withDuplicates = 0;
    fc.assert(
      fc.property(tree, fc.constantFrom('', ' ', '\n  '), (extra, gap) => {
        const issues = check(lockText(render(extra, gap)));
        const expected = [...duplicatePointers(extra, '/servers/notes/tools/add_note/definition/extra')];
        if (expected.length > 0) withDuplicates++;
        expect(issues.map((issue) => issue.pointer).sort()).toEqual(expected.sort());
        expect(issues.every((issue) => issue.message.startsWith('duplicate key') && issue.line !== undefined)).toBe(true);
      }),
      { numRuns: 400 },
    );
    expect(withDuplicates).toBeGreaterThan(40);
  });
});
