import { describe, expect, it } from 'vitest';
import { lintPolicy } from '../../src/policy/lint.js';
import { policyFrom } from './helpers.js';

const messages = (yaml: string) => lintPolicy(policyFrom(yaml)).map((warning) => [warning.location.line, warning.message]);

describe('lintPolicy', () => {
  it('flags rules an earlier unconditional rule makes unreachable', () => {
    expect(
      messages(`version: 1
servers:
  s:
    rules:
      - tool: "*"
        action: deny
      - tool: read
        action: allow
      - tool: "add_*"
        action: allow
`),
    ).toEqual([
      [7, 'rule 2 can never apply: rule 1 (line 5) matches every call it would'],
      [9, 'rule 3 can never apply: rule 1 (line 5) matches every call it would'],
    ]);
    expect(
      messages(`version: 1
servers:
  s:
    rules:
      - tool: "add_*"
        action: deny
      - tool: add_note
        action: allow
      - tool: read
        match: { x: "^a$" }
        action: allow
      - tool: read
        action: deny
`),
    ).toEqual([[7, 'rule 2 can never apply: rule 1 (line 5) matches every call it would']]);
  });

  it('flags unanchored patterns in allow and log rules only', () => {
    expect(
      messages(`version: 1
servers:
  s:
    rules:
      - tool: a
        match: { folder: "work" }
        action: allow
      - tool: b
        match: { folder: "(?i)^work$", q: { preset: sql-ddl } }
        action: allow
      - tool: c
        match: { folder: "secret" }
        action: deny
`),
    ).toEqual([[6, 'the pattern for "folder" matches anywhere in the value; an allow rule usually wants ^…$']]);
  });

  it('flags a server default that a preset makes unreachable', () => {
    expect(messages('version: 1\nservers:\n  s:\n    preset: read-only\n    default: deny\n')).toEqual([
      [3, 'server "s": "default" is never used, the read-only preset decides every tool no rule matches'],
    ]);
  });

  it('is silent on the documented example', () => {
    expect(
      messages(`version: 1
servers:
  notes:
    rules:
      - tool: archive_note
        action: deny
      - tool: read_notes
        match: { folder: "^(work|home)$" }
        action: allow
      - tool: read_notes
        action: deny
`),
    ).toEqual([]);
  });
});
