// How a decision travels from the relay's thread to the audit worker. postMessage clones what it is
// given, and cloning costs per object: an entry with its nested rule and approval objects took ~2 µs
// to clone on the relay's thread, the same decision as one flat tuple ~1 µs (structured clone of 1,000
// records, Node 20). Arguments stay as they were parsed: the worker hashes and shapes them.

import type { AuditEntry } from '../audit/record.js';

/**
 * [time (ms since the epoch, when the decision was made), server, tool, decision, source, reason,
 * rule file, rule index, rule line, lock digest, method, approval via, approval outcome, arguments]
 */
export type PostedEntry = [
  number,
  string,
  string,
  AuditEntry['decision'],
  string | undefined,
  string | undefined,
  string | undefined,
  number | undefined,
  number | undefined,
  string | undefined,
  string | undefined,
  string | undefined,
  string | undefined,
  unknown,
];

export function toPosted(entry: AuditEntry, time: number): PostedEntry {
  const { rule, approval } = entry;
  return [
    time,
    entry.server,
    entry.tool,
    entry.decision,
    entry.source,
    entry.reason,
    rule?.file,
    rule?.index,
    rule?.line,
    entry.lockDigest,
    entry.method,
    approval?.via,
    approval?.outcome,
    entry.arguments,
  ];
}

/** The entry as the relay recorded it: members it did not set stay absent (so does a rule with no member set, which says nothing). */
export function fromPosted(posted: PostedEntry): { entry: AuditEntry; time: number } {
  const [time, server, tool, decision, source, reason, ruleFile, ruleIndex, ruleLine, lockDigest, method, via, outcome, args] = posted;
  const entry: AuditEntry = { server, tool, decision };
  if (source !== undefined) entry.source = source;
  if (reason !== undefined) entry.reason = reason;
  if (ruleFile !== undefined || ruleIndex !== undefined || ruleLine !== undefined) {
    const rule: NonNullable<AuditEntry['rule']> = {};
    if (ruleFile !== undefined) rule.file = ruleFile;
    if (ruleIndex !== undefined) rule.index = ruleIndex;
    if (ruleLine !== undefined) rule.line = ruleLine;
    entry.rule = rule;
  }
  if (lockDigest !== undefined) entry.lockDigest = lockDigest;
  if (method !== undefined) entry.method = method;
  if (via !== undefined && outcome !== undefined) entry.approval = { via, outcome };
  if (args !== undefined) entry.arguments = args;
  return { entry, time };
}
