// After a call is answered the proxy re-lists the server's tools (a silent rug pull shows up there), at
// most once per --recheck-interval. Under pipelined load answers arrive while every listing runs; the
// proxy once treated each of those as a reason to list again at once, so it listed back to back and
// held every call behind its own listings. The interval must pace the re-checks under load too.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { RAW, startProxy, tempDir, upstreamLog, writeLockFor } from './helpers.js';

let lockPath: string;
beforeAll(async () => {
  lockPath = await writeLockFor(tempDir(), 'raw', [RAW]);
});

describe('re-checks after calls', () => {
  it('are paced by --recheck-interval while calls are pipelined, and every call is still answered', async () => {
    const log = join(tempDir(), 'upstream.log');
    const interval = 100;
    const client = startProxy(['--lock', lockPath, '--name', 'raw', '--recheck-interval', String(interval)], [RAW], { MCP_FIXTURE_LOG: log });
    await client.initialize();
    const started = performance.now();
    // A sliding window: a new call goes out as each answer comes back, so answers keep arriving while
    // the proxy's own listings run; at least 4000 calls, and for at least six intervals so that a
    // re-check must have come due however fast the machine is.
    const total = 4000;
    let sent = 0;
    const busy = (): boolean => sent < total || performance.now() - started < 6 * interval;
    const answers: Awaited<ReturnType<typeof client.request>>[] = [];
    const worker = async (): Promise<void> => {
      while (busy()) {
        const n = sent++;
        answers.push(await client.request('tools/call', { name: 'echo', arguments: { text: String(n) } }, `c${n}`));
      }
    };
    await Promise.all(Array.from({ length: 100 }, worker));
    const elapsed = performance.now() - started;
    await client.close();

    expect(answers.filter((answer) => answer.result?.isError !== undefined || answer.error !== undefined)).toEqual([]);
    const ownListings = upstreamLog(log).filter((m) => m.method === 'tools/list' && String(m.id).startsWith('mcp-guard-'));
    // The opening listing, then at most one per interval of the time the calls took (plus one that
    // may start as the last answers arrive). Back-to-back listing gives one per round trip instead.
    expect(ownListings.length).toBeLessThanOrEqual(2 + Math.ceil(elapsed / interval));
    expect(ownListings.length).toBeGreaterThanOrEqual(2);
  });
});
