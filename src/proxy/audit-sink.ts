// The proxy's audit log. Records are sealed and written on a worker thread (audit-worker.ts), so the
// relay's thread only queues them; they are posted in order, in batches at most AUDIT_BATCH_MS apart. The
// worker starts on the first decision rather than at start: a client may start the proxy only to probe
// it, and starting must leave nothing behind (no state directory, no key, no file).

import { Worker } from 'node:worker_threads';
import type { AuditEntry } from '../audit/record.js';
import { registeredSecrets, registeredSecretsVersion } from '../findings/redact.js';
import type { AuditWorkerData, FromAuditWorker, ToAuditWorker } from './audit-worker.js';
import { toPosted, type PostedEntry } from './audit-wire.js';

/** Records handed to the writer and not yet written, above which the relay stops reading the client. */
const HIGH_WATER = 20_000;
const LOW_WATER = 5_000;

/**
 * How long a record may wait for others to share its batch. Each batch wakes the worker and costs one
 * flush, a dozen file-system calls (lock file, append, anchor rename) whatever it carries: ~0.3 ms of
 * the worker's CPU here, more than a dozen sealed records. With 2 ms, a session calling one tool at a
 * time paid a flush every dozen calls, on a core the relay needs (bench/proxy.bench.mjs, A/B in one run:
 * 20 ms cut the full proxy's added latency by a quarter). A record reaches the file at most this long
 * (plus the write) after its decision; close() posts and flushes at once.
 */
export const AUDIT_BATCH_MS = 20;

export class AuditSink {
  private worker: Worker | undefined;
  private inFlight = 0;
  private readonly drainWaiters: (() => void)[] = [];
  private batch: PostedEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The registered secrets' version the worker was last handed. */
  private secretsSent = -1;
  private closed: Promise<void> | undefined;
  private resolveClosed: (() => void) | undefined;

  constructor(
    private readonly data: AuditWorkerData,
    private readonly onError: (message: string) => void,
  ) {}

  /** Only queues: safe on the call's path. The entry must not be mutated afterwards. */
  record(entry: AuditEntry): void {
    if (this.closed) return;
    this.batch.push(toPosted(entry, Date.now()));
    // A full high-water batch is posted at once, so backpressure never waits on the timer.
    if (this.batch.length >= HIGH_WATER) this.post();
    else this.timer ??= setTimeout(() => this.post(), AUDIT_BATCH_MS);
  }

  /**
   * True when the writer is this far behind: a session pipelining calls faster than records can be
   * sealed would otherwise grow the backlog without bound. The relay then pauses its client.
   */
  isBacklogged(): boolean {
    return this.inFlight + this.batch.length >= HIGH_WATER;
  }

  /** Calls back once the backlog is down to the low-water mark (or the writer is gone). */
  onceDrained(callback: () => void): void {
    if (this.inFlight + this.batch.length <= LOW_WATER || !this.worker) callback();
    else this.drainWaiters.push(callback);
  }

  /** Writes everything recorded so far and stops the worker; safe when nothing was ever recorded. */
  close(): Promise<void> {
    if (this.closed) return this.closed;
    this.post();
    const worker = this.worker;
    if (!worker) {
      this.closed = Promise.resolve();
      return this.closed;
    }
    this.closed = new Promise<void>((resolve) => {
      this.resolveClosed = resolve;
      worker.postMessage({ type: 'close' } satisfies ToAuditWorker);
    }).then(() => worker.terminate().then(() => undefined));
    return this.closed;
  }

  private post(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.batch.length === 0) return;
    const records = this.batch;
    this.batch = [];
    try {
      const worker = this.start();
      const version = registeredSecretsVersion();
      // Secrets registered after the worker started (it got those before in its workerData) go with the batch.
      const secrets = version === this.secretsSent ? undefined : registeredSecrets();
      this.secretsSent = version;
      worker.postMessage({ type: 'records', records, ...(secrets ? { secrets } : {}) } satisfies ToAuditWorker);
      this.inFlight += records.length;
    } catch (error) {
      // An entry that cannot be cloned (it never should: arguments are parsed JSON) is reported, not fatal.
      this.onError(`could not hand ${records.length} record(s) to the audit writer: ${(error as Error).message}`);
    }
  }

  private written(count: number): void {
    this.inFlight = Math.max(0, this.inFlight - count);
    if (this.inFlight + this.batch.length > LOW_WATER) return;
    for (const callback of this.drainWaiters.splice(0)) callback();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    this.secretsSent = registeredSecretsVersion();
    const workerData: AuditWorkerData = { ...this.data, secrets: registeredSecrets() };
    const worker = new Worker(new URL('./audit-worker.js', import.meta.url), { workerData });
    // The proxy's lifetime is the relay's; close() flushes before it ends.
    worker.unref();
    worker.on('message', (message: FromAuditWorker) => {
      if (message.type === 'error') this.onError(message.message);
      else if (message.type === 'written') this.written(message.count);
      else this.resolveClosed?.();
    });
    worker.on('error', (error) => this.onError(error.message));
    worker.on('exit', () => {
      // Nothing more will be written: never leave the relay paused on a dead writer.
      this.written(this.inFlight);
      this.resolveClosed?.();
    });
    this.worker = worker;
    return worker;
  }
}
