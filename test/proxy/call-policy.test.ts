// Which tools the proxy hides from tools/list: only those no arguments could ever get through.
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/policy/load.js';
import { createCallPolicy } from '../../src/proxy/call-policy.js';

const policyOf = (...texts: string[]) => ({ layers: texts.map((text, i) => parsePolicy(text, `layer${i}.yaml`)) });

describe('hides()', () => {
  it('hides a tool denied by a rule without argument matchers, not one a matcher may let through', () => {
    const policy = createCallPolicy(
      policyOf(`version: 1
servers:
  files:
    rules:
      - tool: delete_*
        action: deny
      - tool: read_file
        match:
          path: "^/work/"
        action: allow
      - tool: read_file
        action: deny
      - tool: write_file
        match:
          path: "\\\\.\\\\."
        action: deny
      - tool: write_file
        action: deny
`),
      'files',
    );
    expect(policy.hides('delete_file')).toBe(true);
    expect(policy.hides('read_file')).toBe(false);
    // Every path through the rules ends in deny, conditional or not.
    expect(policy.hides('write_file')).toBe(true);
    expect(policy.hides('list_files')).toBe(false);
    expect(policy.evaluate('read_file', { path: '/work/a' }, 0).action).toBe('allow');
    expect(policy.evaluate('read_file', { path: '/etc/passwd' }, 0).action).toBe('deny');
  });

  it('hides write tools under read-only, nothing under approve-writes', () => {
    const readOnly = createCallPolicy(policyOf('version: 1\nservers:\n  s:\n    preset: read-only\n'), 's');
    expect(readOnly.hides('delete_note')).toBe(true);
    expect(readOnly.hides('list_notes')).toBe(false);
    const approve = createCallPolicy(policyOf('version: 1\nservers:\n  s:\n    preset: approve-writes\n'), 's');
    expect(approve.hides('delete_note')).toBe(false);
    expect(approve.evaluate('delete_note', {}, 0).action).toBe('approve');
  });

  it('follows defaults: the top-level default for unnamed servers, the server default otherwise', () => {
    expect(createCallPolicy(policyOf('version: 1\ndefault: deny\n'), 'other').hides('anything')).toBe(true);
    const serverDefault = createCallPolicy(policyOf('version: 1\ndefault: deny\nservers:\n  s:\n    default: allow\n'), 's');
    expect(serverDefault.hides('anything')).toBe(false);
  });

  it('one layer that always denies is enough (strictest wins), whatever the other allows', () => {
    const policy = createCallPolicy(
      policyOf('version: 1\nservers:\n  s:\n    rules:\n      - tool: run\n        action: allow\n', 'version: 1\nservers:\n  s:\n    rules:\n      - tool: run\n        action: deny\n'),
      's',
    );
    expect(policy.hides('run')).toBe(true);
    expect(policy.evaluate('run', {}, 0).action).toBe('deny');
  });
});
