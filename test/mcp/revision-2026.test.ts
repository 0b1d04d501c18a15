import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { readDiscovery, refusesLegacyInitialize } from '../../src/mcp/revision-2026.js';

describe('refusesLegacyInitialize', () => {
  it.each([
    ['-32022 naming 2026-07-28', new McpError(-32022, 'Unsupported protocol version: 2025-11-25', { supported: ['2026-07-28'], requested: '2025-11-25' }), true],
    ['-32022 without a supported list', new McpError(-32022, 'nope'), true],
    ['another code whose message says so', new McpError(-32602, 'Unsupported protocol version 2025-11-25'), true],
    ['-32022 naming only a revision we do not speak', new McpError(-32022, 'Unsupported protocol version', { supported: ['2027-01-01'] }), false],
    ['an unrelated JSON-RPC error', new McpError(-32603, 'Internal error'), false],
    ['not a JSON-RPC error', new Error('Unsupported protocol version'), false],
  ])('%s', (_, error, expected) => {
    expect(refusesLegacyInitialize(error)).toBe(expected);
  });
});

describe('readDiscovery', () => {
  it('takes serverInfo from the body when the revision puts it there, else from the SDK 2.4 _meta key', () => {
    const fromMeta = readDiscovery({
      supportedVersions: ['2026-07-28'],
      capabilities: { tools: {} },
      instructions: 'hi',
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'meta', version: '1' } },
    });
    expect(fromMeta).toEqual({ supportedVersions: ['2026-07-28'], serverInfo: { name: 'meta', version: '1' }, serverCapabilities: { tools: {} }, instructions: 'hi' });
    const fromBody = readDiscovery({
      supportedVersions: ['2026-07-28'],
      capabilities: {},
      serverInfo: { name: 'body', version: '2' },
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'meta', version: '1' } },
    });
    expect(fromBody?.serverInfo).toEqual({ name: 'body', version: '2' });
    expect(fromBody).not.toHaveProperty('instructions');
  });

  it('is undefined for a result that is not a discover result', () => {
    expect(readDiscovery({ protocolVersion: '2025-11-25', capabilities: {} })).toBeUndefined();
  });
});
