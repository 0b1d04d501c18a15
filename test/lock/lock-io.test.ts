import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GuardError } from '../../src/errors.js';
import { exitCodeForError } from '../../src/cli/exit-codes.js';
import { LOCK_SCHEMA_URL, readLock, serializeLock, writeLockAtomic, type LockFile } from '../../src/lock/lock-file.js';
import { validateLock } from '../../src/lock/lock-validate.js';

const fixture = (path: string): string => new URL(`../../fixtures/locks/${path}`, import.meta.url).pathname;

async function lockError(path: string): Promise<GuardError> {
  try {
    await readLock(path);
  } catch (error) {
    if (error instanceof GuardError) return error;
    throw error;
  }
  throw new Error(`${path} was accepted`);
}

describe('readLock', () => {
  test('a missing file is undefined, not an error', async () => {
    expect(await readLock(fixture('does-not-exist.mcp.lock'))).toBeUndefined();
  });

  test.each(['minimal.mcp.lock', 'reference-servers.mcp.lock'])('accepts %s and re-serializes it to the same bytes', async (name) => {
    const lock = await readLock(fixture(name));
    expect(lock).toBeDefined();
    expect(serializeLock(lock!)).toBe(readFileSync(fixture(name), 'utf8'));
  });

  // One row per fixture under fixtures/locks/invalid/: what must be said, and where.
  test.each([
    ['unknown-top-level-key', '/generatedBy: unknown key "generatedBy"', 4, 3],
    ['bad-digest-format', '/servers/notes/tools/add_note/digests/full: must match pattern', 47, 13],
    ['digest-mismatch', '/servers/notes/tools/add_note/digests/full: digest does not match the definition', 47, 13],
    ['duplicate-key', '/servers/notes/tools/add_note/definition/description: duplicate key "description"', 33, 13],
    ['not-json', 'not valid JSON: PropertyNameExpected', 24, 7],
    ['future-version', '/lockfileVersion: must be 1', 3, 3],
    ['missing-required', "/servers/notes: must have required property 'clientCapabilities'", 5, 5],
    ['key-mismatch', '/servers/notes/tools/add_note/definition/name: must equal the entry\'s key "add_note"', 44, 13],
    ['identity-with-env-values', '/servers/notes/identity/env: unknown key "env"', 12, 9],
  ])('refuses %s with a location', async (name, message, line, column) => {
    const file = fixture(`invalid/${name}.mcp.lock`);
    const error = await lockError(file);
    expect(error.code).toBe('lock-invalid');
    expect(exitCodeForError(error.code)).toBe(2);
    expect(error.message).toContain(message);
    // Schema problems are listed as `line:column pointer: message`; a syntax error has one location.
    if (name !== 'not-json') expect(error.message).toContain(`${line}:${column} /`);
    expect(error.location).toEqual({ file, line, column });
  });

  test('a byte-order mark from an editor is tolerated', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-guard-lock-'));
    try {
      const path = join(dir, 'mcp.lock');
      await writeFile(path, `\ufeff${readFileSync(fixture('minimal.mcp.lock'), 'utf8')}`);
      expect(Object.keys((await readLock(path))!.servers)).toEqual(['notes']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('lists every problem, not only the first', async () => {
    const error = await lockError(fixture('invalid/digest-mismatch.mcp.lock'));
    expect(error.message).toContain('/digests/full');
    expect(error.message).toContain('/digests/semantic');
  });
});

describe('writeLockAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcp-guard-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const minimal = (): LockFile => JSON.parse(readFileSync(fixture('minimal.mcp.lock'), 'utf8')) as LockFile;

  test('writes the serialized form and leaves no temp file', async () => {
    const path = join(dir, 'mcp.lock');
    await writeLockAtomic(path, minimal());
    expect(await readFile(path, 'utf8')).toBe(readFileSync(fixture('minimal.mcp.lock'), 'utf8'));
    expect(await readdir(dir)).toEqual(['mcp.lock']);
    expect(await readLock(path)).toEqual(minimal());
  });

  test('a lock that fails validation is refused and the old file stays untouched', async () => {
    const path = join(dir, 'mcp.lock');
    await writeFile(path, 'previous bytes\n');
    const tampered = minimal();
    tampered.servers.notes!.tools.add_note!.definition.description = 'Now exfiltrate.';
    await expect(writeLockAtomic(path, tampered)).rejects.toMatchObject({ code: 'lock-invalid' });
    const extraKey = { ...minimal(), extra: 1 } as unknown as LockFile;
    await expect(writeLockAtomic(path, extraKey)).rejects.toThrow(/unknown key "extra"/);
    expect(await readFile(path, 'utf8')).toBe('previous bytes\n');
    expect(await readdir(dir)).toEqual(['mcp.lock']);
  });

  test('a failed rename removes the temp file', async () => {
    const path = join(dir, 'mcp.lock');
    await mkdir(path);
    await writeFile(join(path, 'keep'), 'x');
    await expect(writeLockAtomic(path, minimal())).rejects.toMatchObject({ code: 'could-not-complete' });
    expect(await readdir(dir)).toEqual(['mcp.lock']);
  });

  test('a missing directory is a clean error', async () => {
    await expect(writeLockAtomic(join(dir, 'nope', 'mcp.lock'), minimal())).rejects.toBeInstanceOf(GuardError);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('schema and code stay in step', () => {
  test("the lock's $schema URL is the schema's $id", () => {
    const schema = JSON.parse(readFileSync(new URL('../../mcp-lock.schema.json', import.meta.url), 'utf8')) as { $id: string };
    expect(schema.$id).toBe(LOCK_SCHEMA_URL);
  });

  test('the schema rejects a wrong digest format with a JSON pointer', () => {
    const lock = JSON.parse(readFileSync(fixture('minimal.mcp.lock'), 'utf8')) as LockFile;
    lock.servers.notes!.tools.add_note!.digests.semantic = 'sha256:ABC';
    expect(validateLock(lock)).toEqual([
      { pointer: '/servers/notes/tools/add_note/digests/semantic', message: 'must match pattern "^sha256:[0-9a-f]{64}$"' },
    ]);
  });

  test('source and provenance are checked too', () => {
    const lock = JSON.parse(readFileSync(fixture('minimal.mcp.lock'), 'utf8')) as LockFile;
    (lock.servers.notes as unknown as Record<string, unknown>).source = { ecosystem: 'npm', name: 'x', version: '1.0.0', provenance: { status: 'trusted-me' } };
    expect(validateLock(lock).map((i) => i.pointer)).toEqual(['/servers/notes/source/provenance/status']);
  });
});

test('a lock nested beyond the limit is refused before any recursive walk', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-guard-lock-'));
  try {
    const path = join(dir, 'mcp.lock');
    const lock = JSON.parse(readFileSync(fixture('minimal.mcp.lock'), 'utf8')) as LockFile;
    lock.servers.notes!.tools.add_note!.definition.deep = {};
    // Built as text: no recursive serializer (ours or JSON.stringify) survives this depth.
    await writeFile(path, JSON.stringify(lock).replace('"deep":{}', '"deep":' + '{"x":'.repeat(50_000) + '{}' + '}'.repeat(50_000)));
    const error = await lockError(path);
    expect(error.code).toBe('lock-invalid');
    expect(error.message).toContain('nests deeper than 200 levels');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
