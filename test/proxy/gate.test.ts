import { describe, expect, it } from 'vitest';
import { decide, type GateView, type Verdict } from '../../src/proxy/gate.js';
import { templateMatcher } from '../../src/proxy/gate-state.js';

function view(overrides: Partial<GateView> = {}, tools: Record<string, Verdict> = {}): GateView {
  return {
    mode: 'enforce',
    toolsStale: false,
    recheckFailed: false,
    tools: new Map(Object.entries(tools)),
    prompts: new Map(),
    resources: new Map(),
    resourceTemplates: [templateMatcher('notes://{id}'), templateMatcher('files://{+path}')],
    lockedPrompts: new Set(['summarize']),
    lockedResources: new Set(['notes://readme']),
    ...overrides,
  };
}

const call = (name: unknown) => ({ kind: 'tools/call' as const, name });

describe('decide', () => {
  it.each([
    ['a locked, unchanged tool', view({}, { echo: { status: 'ok' } }), call('echo'), 'allow'],
    ['a tool never listed', view(), call('echo'), 'deny'],
    ['a drifted tool', view({}, { echo: { status: 'drifted', changes: [{ field: 'description', kind: 'text-changed' }] } }), call('echo'), 'deny'],
    ['a removed tool', view({}, { echo: { status: 'removed' } }), call('echo'), 'deny'],
    ['a look-alike', view({}, { 'еcho': { status: 'look-alike', imitates: 'echo' } }), call('еcho'), 'deny'],
    ['a name that is not a string', view(), call(42), 'deny'],
    ['any call while a re-check runs', view({ toolsStale: true }, { echo: { status: 'ok' } }), call('echo'), 'hold'],
    ['any call after a failed re-check', view({ recheckFailed: true }, { echo: { status: 'ok' } }), call('echo'), 'deny'],
    ['any call once instructions drifted', view({ sessionBlock: 'instructions changed' }, { echo: { status: 'ok' } }), call('echo'), 'deny'],
    ['a prototype key', view({}, { echo: { status: 'ok' } }), call('constructor'), 'deny'],
    ['a call while the instructions are being read', view({ instructionsPending: true }, { echo: { status: 'ok' } }), call('echo'), 'hold'],
    ['a prompt while the instructions are being read', view({ instructionsPending: true }), { kind: 'prompts/get' as const, name: 'summarize' }, 'hold'],
    ['a resource while the instructions are being read', view({ instructionsPending: true }), { kind: 'resources/read' as const, uri: 'notes://readme' }, 'hold'],
    ['a locked prompt never listed', view(), { kind: 'prompts/get' as const, name: 'summarize' }, 'allow'],
    ['an unknown prompt', view(), { kind: 'prompts/get' as const, name: 'other' }, 'deny'],
    ['a locked resource', view(), { kind: 'resources/read' as const, uri: 'notes://readme' }, 'allow'],
    ['a resource matching a locked template', view(), { kind: 'resources/read' as const, uri: 'notes://42' }, 'allow'],
    ['a template segment cannot cross /', view(), { kind: 'resources/read' as const, uri: 'notes://42/../x' }, 'deny'],
    ['a reserved expansion may', view(), { kind: 'resources/read' as const, uri: 'files://a/b.txt' }, 'allow'],
    ['an unknown resource', view(), { kind: 'resources/read' as const, uri: 'file:///etc/passwd' }, 'deny'],
  ])('%s → %s', (_label, gateView, request, action) => {
    expect(decide(gateView, request).action).toBe(action);
  });

  it('denies a held call once its wait expired', () => {
    expect(decide(view({ toolsStale: true }), call('echo'), true).action).toBe('deny');
  });

  it('denies a request held for the instructions once its wait expired, and never holds in learning mode', () => {
    expect(decide(view({ instructionsPending: true }, { echo: { status: 'ok' } }), call('echo'), true)).toMatchObject({ action: 'deny', reason: expect.stringMatching(/instructions/) });
    expect(decide(view({ mode: 'learn', instructionsPending: true }, { echo: { status: 'ok' } }), call('echo')).action).toBe('allow');
  });

  it('allows everything in learning mode but says what it would deny', () => {
    const decision = decide(view({ mode: 'learn' }), call('shell'));
    expect(decision).toEqual({ action: 'allow', wouldDeny: expect.stringMatching(/not in mcp\.lock/) });
  });

  it('fails closed when the view itself throws', () => {
    const broken = view();
    Object.defineProperty(broken, 'tools', { get: () => { throw new Error('boom'); } });
    expect(decide(broken, call('echo'))).toEqual({ action: 'deny', reason: expect.stringMatching(/internal error/) });
  });

  it('never echoes drifted text: a reason names fields and change kinds only', () => {
    const decision = decide(view({}, { echo: { status: 'drifted', changes: [{ field: 'inputSchema', kind: 'schema-widened' }] } }), call('echo'));
    expect(decision).toEqual({ action: 'deny', reason: expect.stringContaining('inputSchema (schema-widened)') });
  });
});
