import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../../src/audit/audit-log.js';
import type { AuditEntry } from '../../src/audit/record.js';

export interface AuditFixture {
  dir: string;
  stateDir: string;
  file: string;
  key: Buffer;
}

export async function auditFixture(): Promise<AuditFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-guard-audit-'));
  return { dir, stateDir: join(dir, 'state', 'mcp-guard'), file: join(dir, 'audit.jsonl'), key: randomBytes(32) };
}

export function entry(i: number, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { server: 'notes', tool: `tool_${i}`, decision: i % 3 === 0 ? 'deny' : 'allow', reason: `r${i}`, arguments: { i }, ...extra };
}

export async function writeRecords(fixture: AuditFixture, count: number, options: { includeValues?: boolean } = {}): Promise<AuditLog> {
  const log = new AuditLog({ file: fixture.file, stateDir: fixture.stateDir, key: fixture.key, ...options });
  for (let i = 1; i <= count; i++) log.record(entry(i));
  await log.flush();
  return log;
}
