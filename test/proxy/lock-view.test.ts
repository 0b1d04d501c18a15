// The proxy recomputes the digests of the entry it enforces only; the rest of the lock is still
// validated (schema, shapes, duplicate keys), and `scan` / `readLock` without a server check every digest.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GuardError } from '../../src/errors.js';
import { readLock } from '../../src/lock/lock-file.js';
import { loadGateLock } from '../../src/proxy/lock-view.js';

const reference = new URL('../../fixtures/locks/reference-servers.mcp.lock', import.meta.url).pathname;

/** The reference lock with one tool of `server` edited by hand, its digests left as they were. */
function lockWithEditedTool(server: string): string {
  const lock = JSON.parse(readFileSync(reference, 'utf8')) as { servers: Record<string, { tools: Record<string, { definition: { description?: string } }> }> };
  const tools = lock.servers[server]!.tools;
  const first = Object.keys(tools)[0]!;
  tools[first]!.definition.description = 'Edited by hand after review.';
  const path = join(mkdtempSync(join(tmpdir(), 'mcp-guard-lock-view-')), 'mcp.lock');
  writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
  return path;
}

async function refusal(load: Promise<unknown>): Promise<GuardError> {
  try {
    await load;
  } catch (error) {
    if (error instanceof GuardError) return error;
    throw error;
  }
  throw new Error('the lock was accepted');
}

describe('loadGateLock', () => {
  const edited = lockWithEditedTool('filesystem');

  it('refuses the session of a server whose own entry was edited by hand', async () => {
    const error = await refusal(loadGateLock(edited, 'filesystem'));
    expect(error.code).toBe('lock-invalid');
    expect(error.message).toContain('/servers/filesystem/tools/');
    expect(error.message).toContain('digest does not match the definition');
  });

  it("enforces another server's untouched entry without recomputing the edited one's digests", async () => {
    const loaded = await loadGateLock(edited, 'everything');
    expect(loaded.serverName).toBe('everything');
    expect(loaded.view.entities.tool.size).toBeGreaterThan(0);
  });

  it('still checks the whole file for everything but digests', async () => {
    const lock = JSON.parse(readFileSync(edited, 'utf8')) as { servers: Record<string, Record<string, unknown>> };
    lock.servers['filesystem']!['unexpected'] = true;
    const path = join(mkdtempSync(join(tmpdir(), 'mcp-guard-lock-view-')), 'mcp.lock');
    writeFileSync(path, JSON.stringify(lock));
    const error = await refusal(loadGateLock(path, 'everything'));
    expect(error.code).toBe('lock-invalid');
    expect(error.message).toContain('/servers/filesystem/unexpected: unknown key');
  });

  it('leaves readLock without a server as strict as before: every digest is checked', async () => {
    const error = await refusal(readLock(edited));
    expect(error.message).toContain('/servers/filesystem/tools/');
  });
});
