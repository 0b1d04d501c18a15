// The proxy's audit log, opened on the first decision rather than at start: a client may start the
// proxy only to probe it, and starting must leave nothing behind (no state directory, no key, no
// file). Records made while the log opens are kept and written in order once it is open.

import type { AuditLog } from '../audit/audit-log.js';
import type { AuditEntry } from '../audit/record.js';

export class AuditSink {
  private log: AuditLog | undefined;
  private opening: Promise<void> | undefined;
  private readonly waiting: AuditEntry[] = [];
  private failed = false;

  constructor(
    private readonly open: () => Promise<AuditLog>,
    private readonly onError: (error: unknown) => void,
  ) {}

  record(entry: AuditEntry): void {
    if (this.log) {
      this.log.record(entry);
      return;
    }
    if (this.failed) return;
    this.waiting.push(entry);
    this.opening ??= this.open().then(
      (log) => {
        this.log = log;
        for (const queued of this.waiting.splice(0)) log.record(queued);
      },
      (error: unknown) => {
        this.failed = true;
        this.waiting.length = 0;
        this.onError(error);
      },
    );
  }

  /** Writes everything recorded so far; safe to call when nothing was ever recorded. */
  async close(): Promise<void> {
    await this.opening;
    await this.log?.close();
  }
}
