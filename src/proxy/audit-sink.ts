// The proxy's audit log. Records are sealed and written on a worker thread (audit-worker.ts), so the
// relay's thread only queues them; they are posted once per turn of the event loop, in order. The
// worker starts on the first decision rather than at start: a client may start the proxy only to probe
// it, and starting must leave nothing behind (no state directory, no key, no file).

import { Worker } from 'node:worker_threads';
import type { AuditEntry } from '../audit/record.js';
import type { AuditWorkerData, FromAuditWorker, TimedEntry, ToAuditWorker } from './audit-worker.js';

export class AuditSink {
  private worker: Worker | undefined;
  private batch: TimedEntry[] = [];
  private scheduled = false;
  private closed: Promise<void> | undefined;
  private resolveClosed: (() => void) | undefined;

  constructor(
    private readonly data: AuditWorkerData,
    private readonly onError: (message: string) => void,
  ) {}

  /** Only queues: safe on the call's path. The entry must not be mutated afterwards. */
  record(entry: AuditEntry): void {
    if (this.closed) return;
    this.batch.push({ entry, time: Date.now() });
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.post());
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
    this.scheduled = false;
    if (this.batch.length === 0) return;
    const records = this.batch;
    this.batch = [];
    try {
      this.start().postMessage({ type: 'records', records } satisfies ToAuditWorker);
    } catch (error) {
      // An entry that cannot be cloned (it never should: arguments are parsed JSON) is reported, not fatal.
      this.onError(`could not hand ${records.length} record(s) to the audit writer: ${(error as Error).message}`);
    }
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./audit-worker.js', import.meta.url), { workerData: this.data });
    // The proxy's lifetime is the relay's; close() flushes before it ends.
    worker.unref();
    worker.on('message', (message: FromAuditWorker) => {
      if (message.type === 'error') this.onError(message.message);
      else this.resolveClosed?.();
    });
    worker.on('error', (error) => this.onError(error.message));
    worker.on('exit', () => this.resolveClosed?.());
    this.worker = worker;
    return worker;
  }
}
