// The audit log's own thread. Sealing a record (canonical JSON, two HMACs, a hash, redaction of every
// text field) costs tens of microseconds, several times what relaying the call costs; on the relay's
// thread that would cap a pipelined session's throughput. The relay posts decisions here in batches.

import { homedir } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { AuditLog, type AuditLogOptions } from '../audit/audit-log.js';
import { loadOrCreateAuditKey } from '../audit/audit-key.js';
import { defaultAuditLogPath, stateDirectory } from '../audit/state-dir.js';
import { registerSecrets } from '../findings/redact.js';
import { fromPosted, type PostedEntry } from './audit-wire.js';

export interface AuditWorkerData {
  env: Record<string, string | undefined>;
  /** Secrets registered on the relay's thread (this thread's redactor starts with none). */
  secrets?: string[];
  file?: string;
  includeValues: boolean;
}

/** `secrets`: the relay's registered secrets, when they changed since the last batch. Each record carries its decision's time. */
export type ToAuditWorker = { type: 'records'; records: PostedEntry[]; secrets?: string[] } | { type: 'close' };
export type FromAuditWorker = { type: 'error'; message: string } | { type: 'closed' } | { type: 'written'; count: number };

const port = parentPort;
if (port) {
  const data = workerData as AuditWorkerData;
  registerSecrets(data.secrets ?? []);
  let stamp = new Date();
  const report = (error: unknown): void => port.postMessage({ type: 'error', message: (error as Error).message } satisfies FromAuditWorker);
  const opening = (async () => {
    const stateDir = stateDirectory(data.env, data.env['HOME'] || homedir());
    const key = await loadOrCreateAuditKey(stateDir);
    const options: AuditLogOptions = {
      file: data.file ?? defaultAuditLogPath(stateDir),
      stateDir,
      key,
      includeValues: data.includeValues,
      // record() reads the clock synchronously: each record gets its decision's time.
      now: () => stamp,
      autoFlush: false,
      onError: report,
    };
    return new AuditLog(options);
  })();
  opening.catch(report);
  port.on('message', (message: ToAuditWorker) => {
    void opening.then(
      async (log) => {
        if (message.type === 'records') {
          if (message.secrets) registerSecrets(message.secrets);
          for (const posted of message.records) {
            const { entry, time } = fromPosted(posted);
            stamp = new Date(time);
            log.record(entry);
          }
          // One flush per batch: the relay posts at most one batch per AUDIT_BATCH_MS.
          // Counted as done whether or not the write succeeded (a failure is reported, and its records
          // stay queued for the next flush): the count is only what the relay's backpressure waits for.
          await log.flush().catch(report);
          port.postMessage({ type: 'written', count: message.records.length } satisfies FromAuditWorker);
          return;
        }
        await log.close().catch(report);
        port.postMessage({ type: 'closed' } satisfies FromAuditWorker);
      },
      () => {
        if (message.type === 'close') port.postMessage({ type: 'closed' } satisfies FromAuditWorker);
      },
    );
  });
}
