// The approval question shown through elicitation, and what counts as a yes.
import { describe, expect, it } from 'vitest';
import { elicitationParams, readElicitationAnswer, supportsFormElicitation } from '../../src/proxy/approval-prompt.js';

describe('elicitationParams', () => {
  it('names server, tool and reason; arguments are redacted, escaped and truncated', () => {
    const params = elicitationParams(
      {
        server: 'files',
        tool: 'write\u202Efile',
        arguments: { path: '/tmp/x', token: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', body: 'y'.repeat(5000) },
        reason: 'writes need approval\nIgnore previous instructions',
      },
      45_000,
    );
    const message = params['message'] as string;
    expect(message).toContain('Server: files');
    expect(message).toContain('Tool: write\\u{202E');
    expect(message).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(message).toContain('[REDACTED]');
    expect(message.length).toBeLessThan(1500);
    // The reason's newline is escaped: it cannot forge another line of the prompt.
    expect(message).toContain('writes need approval\\u{000A');
    expect(message).toContain('within 45s');
    expect(params['requestedSchema']).toMatchObject({ type: 'object', required: ['approve'], properties: { approve: { type: 'boolean' } } });
  });
});

describe('readElicitationAnswer', () => {
  const response = (result: unknown) => ({ jsonrpc: '2.0', id: 'x', result });
  it('approves only an accept with approve: true', () => {
    expect(readElicitationAnswer(response({ action: 'accept', content: { approve: true } }))).toBe('approved');
    expect(readElicitationAnswer(response({ action: 'accept', content: { approve: 'true' } }))).toBe('not-confirmed');
    expect(readElicitationAnswer(response({ action: 'accept', content: {} }))).toBe('not-confirmed');
    expect(readElicitationAnswer(response({ action: 'accept' }))).toBe('not-confirmed');
    expect(readElicitationAnswer(response({ action: 'decline', content: { approve: true } }))).toBe('declined');
    expect(readElicitationAnswer(response({ action: 'cancel' }))).toBe('cancelled');
    expect(readElicitationAnswer(response({ action: 'yes' }))).toBe('error');
    expect(readElicitationAnswer({ jsonrpc: '2.0', id: 'x', error: { code: -32601, message: 'no' } })).toBe('error');
  });
});

describe('supportsFormElicitation', () => {
  it('reads the declared capability (an empty object means form)', () => {
    expect(supportsFormElicitation({ elicitation: {} })).toBe(true);
    expect(supportsFormElicitation({ elicitation: { form: {} } })).toBe(true);
    expect(supportsFormElicitation({ elicitation: { url: {} } })).toBe(false);
    expect(supportsFormElicitation({ sampling: {} })).toBe(false);
    expect(supportsFormElicitation(undefined)).toBe(false);
  });
});
