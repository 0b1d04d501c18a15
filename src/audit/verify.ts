// verifyAuditLog: checks every record's MAC, the seq sequence and the hash chain, then the head
// anchor. The first problem found is reported with its line, so the user knows where to look.

import { timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { JsonObject } from '../model.js';
import { isAnchorAuthentic, type HeadAnchor } from './anchor.js';
import { canonicalJson, GENESIS_HASH, lineHash, recordMac } from './record.js';

export interface AuditProblem {
  /** 1-based line of the first bad record (for truncation: the line where records are missing). */
  line: number;
  /** The seq that line carries, or the one expected there. */
  seq: number;
  problem: string;
}

export type AuditVerification = { ok: true; records: number; lastSeq: number } | { ok: false; firstBad: AuditProblem };

/**
 * `anchor` null means "no anchor expected" (the caller chose to check the chain alone); undefined
 * records nothing either way and is treated the same. A truncated log is only detectable with one.
 */
export async function verifyAuditLog(file: string, key: Buffer, anchor: HeadAnchor | null | undefined): Promise<AuditVerification> {
  const input = createReadStream(file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let anchorSeen = false;
  let endedWithoutNewline = false;
  const fail = (problem: string, seq = expectedSeq, line = lineNumber): AuditVerification => ({ ok: false, firstBad: { line, seq, problem } });
  try {
    for await (const line of lines) {
      lineNumber++;
      const result = checkLine(line, expectedSeq, prev, key);
      if (typeof result === 'string') return fail(result, seqOf(line) ?? expectedSeq);
      if (anchor && result.seq === anchor.seq) {
        if (result.hash !== anchor.hash) return fail('this record differs from the one the head anchor recorded', result.seq);
        anchorSeen = true;
      }
      prev = result.hash;
      expectedSeq += 1;
    }
    endedWithoutNewline = await lastByteIsNotNewline(file);
  } finally {
    lines.close();
    input.destroy();
  }
  if (endedWithoutNewline) return fail('the last record is incomplete (no line end)', expectedSeq - 1);
  const lastSeq = expectedSeq - 1;
  if (anchor) {
    if (!isAnchorAuthentic(anchor, key)) return fail('the head anchor does not match its MAC (edited or from another key)', anchor.seq, lineNumber + 1);
    if (anchor.seq > lastSeq) {
      return fail(`truncated: the log ends at seq ${lastSeq} but the head anchor records seq ${anchor.seq}`, lastSeq + 1, lineNumber + 1);
    }
    if (!anchorSeen && anchor.seq > 0) return fail('the record the head anchor points at is missing', anchor.seq, lineNumber + 1);
  }
  return { ok: true, records: lastSeq, lastSeq };
}

function checkLine(line: string, expectedSeq: number, prev: string, key: Buffer): { seq: number; hash: string } | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return line.trim() === '' ? 'empty line inside the log' : 'not a JSON record';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON record';
  const record = value as JsonObject;
  const { mac, ...unsigned } = record;
  if (typeof mac !== 'string' || !/^[0-9a-f]{64}$/.test(mac)) return 'missing or malformed MAC';
  let expectedMac: string;
  try {
    expectedMac = recordMac(unsigned, key);
  } catch {
    return 'record cannot be put in canonical form';
  }
  if (!timingSafeEqual(Buffer.from(mac, 'hex'), Buffer.from(expectedMac, 'hex'))) return 'edited: the MAC does not match the record';
  const seq = record['seq'];
  if (typeof seq !== 'number') return 'missing seq';
  if (seq !== expectedSeq) {
    return seq < expectedSeq
      ? `out of order or duplicated: expected seq ${expectedSeq}, found ${seq}`
      : `records missing or reordered: expected seq ${expectedSeq}, found ${seq}`;
  }
  if (record['prev'] !== prev) return 'the chain is broken: prev does not match the previous record';
  // Lines are written canonical; hashing the canonical form keeps the chain independent of spacing.
  return { seq, hash: lineHash(canonicalJson(record)) };
}

function seqOf(line: string): number | undefined {
  try {
    const seq = (JSON.parse(line) as { seq?: unknown }).seq;
    return typeof seq === 'number' ? seq : undefined;
  } catch {
    return undefined;
  }
}

async function lastByteIsNotNewline(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return false;
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, size - 1);
    return byte[0] !== 0x0a;
  } finally {
    await handle.close();
  }
}
