import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parse as parseLenient, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { GuardError, lineColumnAt } from '../errors.js';
import { serializeLock, type LockFile } from './lock-file.js';
import { validateLock, type LockIssue } from './lock-validate.js';

/** Issues listed in one error message; the rest are counted. */
const MAX_LISTED_ISSUES = 20;

/** The lock at `path`, or undefined when there is none. Anything invalid is an error, never skipped. */
export async function readLock(path: string): Promise<LockFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GuardError('lock-unreadable', `cannot read lock file: ${(error as Error).message}`, {
      location: { file: path },
      cause: error,
    });
  }
  return parseLock(text, path);
}

/** Parse and validate lock text; `file` is only used to point at problems. */
export function parseLock(text: string, file: string): LockFile {
  // Editors on Windows like to add a BOM; it carries no meaning.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw syntaxError(body, file, error);
  }
  const issues = validateLock(value, body);
  if (issues.length > 0) throw invalidLockError(issues, file);
  return value as LockFile;
}

function syntaxError(text: string, file: string, cause: unknown): GuardError {
  const errors: ParseError[] = [];
  parseLenient(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  const offset = first?.offset ?? 0;
  const what = first ? printParseErrorCode(first.error) : 'invalid JSON';
  return new GuardError('lock-invalid', `lock file is not valid JSON: ${what}`, {
    location: { file, ...lineColumnAt(text, offset) },
    hint: 'regenerate it with `mcp-guard lock` or fix the JSON by hand',
    cause,
  });
}

export function invalidLockError(issues: LockIssue[], file: string): GuardError {
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map((issue) => {
    const where = issue.line !== undefined ? `${issue.line}:${issue.column} ` : '';
    return `  ${where}${issue.pointer || '/'}: ${issue.message}`;
  });
  if (issues.length > MAX_LISTED_ISSUES) listed.push(`  … and ${issues.length - MAX_LISTED_ISSUES} more`);
  const first = issues[0]!;
  const location = first.line !== undefined ? { file, line: first.line, column: first.column! } : { file };
  return new GuardError('lock-invalid', `lock file does not match mcp-lock.schema.json:\n${listed.join('\n')}`, {
    location,
    hint: 'a lock is never repaired silently: fix it, or regenerate it with `mcp-guard lock` after review',
  });
}

/**
 * Validate, then write through a temp file in the same directory, fsync and rename, so a reader sees
 * the old lock or the new one and never half of either.
 */
export async function writeLockAtomic(path: string, lock: LockFile): Promise<void> {
  const issues = validateLock(lock);
  if (issues.length > 0) throw invalidLockError(issues, path);
  const text = serializeLock(lock);
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new GuardError('could-not-complete', `cannot write lock file: ${(error as Error).message}`, {
      location: { file: path },
      cause: error,
    });
  }
  await syncDirectory(dir);
}

/** Makes the rename itself durable; not possible on every platform, and harmless to skip there. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open a directory for fsync.
  }
}
