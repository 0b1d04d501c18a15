import { describe, expect, it } from 'vitest';
import { pendingNotice, refusalForModel } from '../../src/approvals/messages.js';
import type { ApprovalRequest } from '../../src/approvals/store.js';

const request: ApprovalRequest = {
  id: 'k3j9x2mqpa',
  server: 'files',
  tool: 'write\u001b[2J_file',
  argumentsHash: 'sha256:aa',
  lockDigest: 'sha256:bb',
  argumentsPreview: '{}',
  reason: 'r',
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2026-01-01T00:00:45.000Z',
  pid: 1,
  host: 'h',
};

describe('approval messages', () => {
  it('the stderr notice names the id and the time, with the tool name escaped', () => {
    const notice = pendingNotice(request);
    expect(notice).toContain('within 45s');
    expect(notice).toContain('mcp-guard approve k3j9x2mqpa');
    expect(notice).toContain('write\\u{001B ESC}[2J_file');
    expect(notice).not.toContain('\u001b');
  });

  it('what the model reads never carries the id', () => {
    for (const outcome of ['denied', 'timeout', 'withdrawn'] as const) {
      expect(refusalForModel(outcome)).not.toContain(request.id);
      expect(refusalForModel(outcome).length).toBeGreaterThan(20);
    }
  });
});
