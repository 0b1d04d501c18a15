// Appends audit records. record() only queues (about a microsecond), so neither the disk nor the
// hashing, shaping and redaction (~50 µs a record) sit on the proxy's hot path: that work runs in
// the flush, after the call has been forwarded. Records are written in batches under the log's lock file, each
// batch continuing the seq and hash chain from whatever is at the end of the file at that moment,
// so restarts and concurrent writers of the same file share one chain.

import { closeSync, fstatSync, openSync, readSync, realpathSync, writeSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { GuardError } from '../errors.js';
import { isAnchorAuthentic, readAnchor, signAnchor, writeAnchor } from './anchor.js';
import { loadOrCreateAuditKey } from './audit-key.js';
import { acquireFileLock, disposeLockOwner, type HeldLock } from './file-lock.js';
import type { JsonObject } from '../model.js';
import { buildPendingRecord, canonicalJson, GENESIS_HASH, lineHash, sealRecord, type AuditEntry } from './record.js';
import { defaultAuditLogPath, ensurePrivateDirectory, stateDirectory } from './state-dir.js';

export interface AuditLogOptions {
  file: string;
  stateDir: string;
  key: Buffer;
  /** Record argument values (redacted, truncated). Off by default: hash and shape only. */
  includeValues?: boolean;
  now?: () => Date;
  lockTimeoutMs?: number;
  /**
   * Flush by itself on the next turn of the event loop after a record (default). Off when the caller
   * decides when to flush (the proxy's audit worker, which lets records share a flush).
   */
  autoFlush?: boolean;
  /** Called when a background flush fails (the proxy decides what that means for the session). */
  onError?: (error: unknown) => void;
}

interface Head {
  seq: number;
  hash: string;
  /** File identity and size after our last write: when unchanged, nobody else appended. */
  ino: number;
  size: number;
}

export class AuditLog {
  readonly file: string;
  readonly #options: AuditLogOptions;
  #queue: { entry: AuditEntry; time: Date }[] = [];
  #scheduled = false;
  #writing: Promise<void> = Promise.resolve();
  #head: Head | undefined;
  #realPath: string | undefined;
  /** The log's directory exists (made by an earlier flush): no stat per flush. */
  #parentReady = false;

  constructor(options: AuditLogOptions) {
    this.file = resolve(options.file);
    this.#options = options;
  }

  /**
   * Queues one record; it reaches the file on the next flush (scheduled automatically). The entry is
   * read at flush time, so the caller must not mutate it (or its arguments) afterwards.
   */
  record(entry: AuditEntry): void {
    this.#queue.push({ entry, time: this.#options.now?.() ?? new Date() });
    if (!this.#scheduled && this.#options.autoFlush !== false) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.flush().catch((error: unknown) => this.#options.onError?.(error));
      });
    }
  }

  /** Writes everything queued so far. Flushes run one after another, never interleaved. */
  flush(): Promise<void> {
    const next = this.#writing.then(() => this.#writeQueued());
    this.#writing = next.catch(() => undefined);
    return next;
  }

  async #writeQueued(): Promise<void> {
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    let lock: HeldLock;
    try {
      lock = await this.#acquireLock();
    } catch (error) {
      this.#queue = [...batch, ...this.#queue];
      throw error;
    }
    // The file's own I/O is synchronous: a flush is a handful of small syscalls, each cheaper made
    // directly than as a trip through the thread pool, and the writer runs on the audit worker's
    // thread, which has nothing else to do meanwhile.
    let fd: number | undefined;
    try {
      fd = openSync(this.file, 'a+', 0o600);
      this.#realPath ??= realpathSync(this.file);
      const head = await this.#currentHead(fd);
      let { seq, hash } = head;
      let text = '';
      const recordOptions = { key: this.#options.key, includeValues: this.#options.includeValues ?? false };
      for (const { entry, time } of batch) {
        const pending = buildPendingRecord(entry, time, recordOptions);
        seq += 1;
        const sealed = sealRecord(pending, seq, hash, this.#options.key);
        text += `${sealed.line}\n`;
        hash = sealed.hash;
      }
      writeFully(fd, Buffer.from(text, 'utf8'));
      const info = fstatSync(fd);
      this.#head = { seq, hash, ino: info.ino, size: info.size };
      await writeAnchor(this.#options.stateDir, signAnchor(this.#realPath, seq, hash, this.#options.key));
    } catch (error) {
      // Keep the records for the next attempt rather than dropping them silently.
      this.#queue = [...batch, ...this.#queue];
      throw error;
    } finally {
      if (fd !== undefined) closeSync(fd);
      await lock.release();
    }
  }

  /** The log's lock, making the log's directory on the first flush (and again if it was removed since). */
  async #acquireLock(): Promise<HeldLock> {
    const options = this.#options.lockTimeoutMs === undefined ? {} : { timeoutMs: this.#options.lockTimeoutMs };
    if (!this.#parentReady) await ensureParent(this.file);
    try {
      const lock = await acquireFileLock(`${this.file}.lock`, options);
      this.#parentReady = true;
      return lock;
    } catch (error) {
      if (!this.#parentReady || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.#parentReady = false;
      await ensureParent(this.file);
      const lock = await acquireFileLock(`${this.file}.lock`, options);
      this.#parentReady = true;
      return lock;
    }
  }

  /**
   * Where the chain continues. When the file ends before the head anchor (records were cut off),
   * the chain continues from the anchor, not from the cut: otherwise the next write would start a
   * fresh, valid-looking chain and overwrite the anchor, erasing the evidence.
   */
  async #currentHead(fd: number): Promise<Head> {
    const info = fstatSync(fd);
    if (this.#head && this.#head.ino === info.ino && this.#head.size === info.size) return this.#head;
    const fromFile = this.#headInFile(fd, info);
    const anchor = await readAnchor(this.#options.stateDir, this.#realPath!);
    if (anchor && isAnchorAuthentic(anchor, this.#options.key) && anchor.seq > fromFile.seq) {
      return { ...fromFile, seq: anchor.seq, hash: anchor.hash };
    }
    return fromFile;
  }

  #headInFile(fd: number, info: { ino: number; size: number }): Head {
    if (info.size === 0) return { seq: 0, hash: GENESIS_HASH, ino: info.ino, size: 0 };
    const last = readLastLine(fd, info.size);
    if (last === undefined) {
      throw new GuardError('could-not-complete', 'the audit log does not end with a complete record; run `mcp-guard audit verify`', {
        location: { file: this.file },
      });
    }
    let parsed: JsonObject | undefined;
    try {
      parsed = JSON.parse(last) as JsonObject;
    } catch {
      parsed = undefined;
    }
    const seq = parsed?.['seq'];
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) {
      throw new GuardError('could-not-complete', 'the last line of the audit log is not an audit record; run `mcp-guard audit verify`', {
        location: { file: this.file },
      });
    }
    return { seq, hash: lineHash(canonicalJson(parsed!)), ino: info.ino, size: info.size };
  }

  /** Flushes what is queued and waits for every write in progress. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      disposeLockOwner(`${this.file}.lock`);
    }
  }
}

export interface OpenAuditLogOptions {
  env: Record<string, string | undefined>;
  home?: string;
  /** Defaults to audit.jsonl in the state directory. */
  file?: string;
  includeValues?: boolean;
  onError?: (error: unknown) => void;
}

/** The usual way in: finds the state directory, loads or creates the key. */
export async function openAuditLog(options: OpenAuditLogOptions): Promise<AuditLog> {
  const stateDir = stateDirectory(options.env, options.home ?? homedir());
  const key = await loadOrCreateAuditKey(stateDir);
  const logOptions: AuditLogOptions = { file: options.file ?? defaultAuditLogPath(stateDir), stateDir, key };
  if (options.includeValues !== undefined) logOptions.includeValues = options.includeValues;
  if (options.onError) logOptions.onError = options.onError;
  return new AuditLog(logOptions);
}

async function ensureParent(file: string): Promise<void> {
  const parent = dirname(file);
  try {
    await stat(parent);
  } catch {
    await ensurePrivateDirectory(parent);
  }
}

function writeFully(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) {
    const bytesWritten = writeSync(fd, bytes, offset, bytes.length - offset, null);
    if (bytesWritten === 0) throw new GuardError('could-not-complete', 'the audit log write made no progress (disk full?)');
    offset += bytesWritten;
  }
}

/** The last newline-terminated line, read backwards in chunks; undefined if the file does not end in `\n`. */
function readLastLine(fd: number, size: number): string | undefined {
  const chunkSize = 64 * 1024;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  if (last[0] !== 0x0a) return undefined;
  const chunks: Buffer[] = [];
  let end = size - 1;
  while (end > 0) {
    const start = Math.max(0, end - chunkSize);
    const chunk = Buffer.alloc(end - start);
    readSync(fd, chunk, 0, chunk.length, start);
    const newline = chunk.lastIndexOf(0x0a);
    if (newline !== -1) {
      chunks.unshift(chunk.subarray(newline + 1));
      break;
    }
    chunks.unshift(chunk);
    end = start;
  }
  return Buffer.concat(chunks).toString('utf8');
}
