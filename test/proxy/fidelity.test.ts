// Byte fidelity of the relay, driven by a hand-written client against a hand-written upstream (the SDK
// would reject or rewrite the odd-but-legal messages these tests need).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LineClient, RAW, SCENARIO, startProxy, tempDir, writeLockFor } from './helpers.js';

let lockPath: string;

beforeAll(async () => {
  lockPath = await writeLockFor(tempDir(), 'raw', [RAW]);
});

function proxyWithLog(): { client: LineClient; log: string } {
  const log = join(tempDir(), 'upstream.log');
  const client = startProxy(['--lock', lockPath, '--name', 'raw'], [RAW], { MCP_FIXTURE_LOG: log });
  return { client, log };
}

describe('client → server bytes', () => {
  it('forwards unknown methods and fields, float ids, id null and vendor notifications byte for byte', async () => {
    const { client, log } = proxyWithLog();
    await client.initialize();
    const odd = [
      '{"jsonrpc":"2.0","id":1.5,"method":"vendor/thing","params":{"z":1,"a":[1.0,2e3,-0.0]},"extra":"top-level"}',
      '{"jsonrpc":"2.0","id":null,"method":"vendor/null-id"}',
      '{"jsonrpc":"2.0","method":"notifications/vendor.x","params":{"s":"é\\u00e9\\ud83d\\ude00 ✓"}}',
      '{ "id" : 7 , "jsonrpc":"2.0",   "method":"ping","params":{} }',
      '{"jsonrpc":"2.0","id":"tool-call","method":"tools/call","params":{"name":"echo","arguments":{"text":"x"},"_meta":{"vendor/k":[1.10]}},"x-unknown":{"deep":[null,true]}}',
    ];
    for (const line of odd) client.sendRaw(`${line}\n`);
    await client.response(7);
    await client.response('tool-call');
    await client.response(1.5);
    const received = readFileSync(log, 'utf8').split('\n');
    for (const line of odd) expect(received).toContain(line);
    await client.close();
  });

  it('strips only the CR of a CRLF line', async () => {
    const { client, log } = proxyWithLog();
    await client.initialize();
    client.sendRaw('{"jsonrpc":"2.0","id":"crlf","method":"ping"}\r\n');
    expect((await client.response('crlf')).result).toEqual({ method: 'ping' });
    expect(readFileSync(log, 'utf8').split('\n')).toContain('{"jsonrpc":"2.0","id":"crlf","method":"ping"}');
    await client.close();
  });

  it('never forwards unparseable lines, batches or duplicate keys, and answers each', async () => {
    const { client, log } = proxyWithLog();
    await client.initialize();
    client.sendRaw('this is not json\n');
    client.sendRaw('[{"jsonrpc":"2.0","id":"b1","method":"tools/call","params":{"name":"echo","arguments":{}}}]\n');
    client.sendRaw('{"jsonrpc":"2.0","id":"dup","method":"tools/call","params":{"name":"echo","name":"evil","arguments":{}}}\n');
    expect((await client.waitFor((m) => m.id === null && m.error?.code === -32700)).error.message).toMatch(/parse error/);
    expect((await client.response('b1')).error.message).toMatch(/batch/);
    expect((await client.response('dup')).error.message).toMatch(/duplicate key/);
    const received = readFileSync(log, 'utf8');
    expect(received).not.toContain('not json');
    expect(received).not.toContain('"b1"');
    expect(received).not.toContain('evil');
    await client.close();
  });

  it('drops a gated call sent without an id and refuses a second request under an id still pending', async () => {
    const { client, log } = proxyWithLog();
    await client.initialize();
    client.sendRaw('{"jsonrpc":"2.0","method":"tools/call","params":{"name":"echo","arguments":{"text":"no-id-call"}}}\n');
    // Two requests under one id back to back: the second is answered by the proxy, never forwarded.
    client.sendRaw('{"jsonrpc":"2.0","id":"twice","method":"ping"}\n{"jsonrpc":"2.0","id":"twice","method":"tools/call","params":{"name":"echo","arguments":{"text":"second-twice"}}}\n');
    const answers = [await client.response('twice'), await client.waitFor((m) => m.id === 'twice' && m.error !== undefined)];
    expect(answers.some((m) => /still pending/.test(m.error?.message ?? ''))).toBe(true);
    client.sendRaw('{"jsonrpc":"2.0","id":"after","method":"ping"}\n');
    await client.response('after');
    const received = readFileSync(log, 'utf8');
    expect(received).not.toContain('no-id-call');
    expect(received).not.toContain('second-twice');
    await client.close();
  });

  it('refuses a line that is not valid UTF-8 instead of forwarding bytes it could not read', async () => {
    const { client, log } = proxyWithLog();
    await client.initialize();
    // An overlong encoding of "a" (0xC1 0xA1): Node decodes it as U+FFFD, a lenient decoder as "a".
    const head = Buffer.from('{"jsonrpc":"2.0","id":"bad-utf8","method":"tools/call","params":{"name":"ech');
    client.sendRaw(Buffer.concat([head, Buffer.from([0xc1, 0xa1]), Buffer.from('o","arguments":{}}}\n')]));
    const answer = await client.waitFor((m) => m.id === null && /UTF-8/.test(m.error?.message ?? ''));
    expect(answer.error.code).toBe(-32700);
    expect(readFileSync(log, 'utf8')).not.toContain('bad-utf8');
    await client.close();
  });

  it('carries a 50 MiB message with multi-byte UTF-8 split across odd-sized chunks unchanged', async () => {
    const { client, log } = proxyWithLog();
    await client.initialize();
    const text = 'é€😀a'.repeat(Math.ceil(5.3 * 1024 * 1024));
    const line = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 'big', method: 'tools/call', params: { name: 'echo', arguments: { text } } }), 'utf8');
    expect(line.length).toBeGreaterThan(50 * 1024 * 1024);
    for (let start = 0; start < line.length; start += 65_537) client.sendRaw(line.subarray(start, start + 65_537));
    client.sendRaw('\n');
    const response = await client.response('big');
    expect(JSON.parse(response.result.content[0].text)).toEqual({ text });
    const logged = readFileSync(log);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const lines = logged.toString('latin1').split('\n');
    const bigLine = Buffer.from(lines.find((l) => l.includes('"id":"big"'))!, 'latin1');
    expect(sha(bigLine)).toBe(sha(line));
    await client.close();
  });
});

describe('server → client bytes', () => {
  it('relays server lines byte for byte and drops non-JSON ones', async () => {
    const { client, log } = proxyWithLog();
    await client.initialize();
    const lines = [
      '{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"é😀","x":1.0}}',
      '{"jsonrpc":"2.0","id":"srv-1","method":"sampling/createMessage","params":{"messages":[],"maxTokens":1.50}}',
      '{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":0.5,"progress":1e0}}',
      'plain log text on stdout',
      '{"jsonrpc":"2.0","method":"vendor/notice","params":{"unknown":{"k":[]}},"top":"x"}',
    ];
    const done = await client.request('fixture/emit', { lines });
    expect(done.result).toEqual({ emitted: lines.length });
    const received = client.lines.map((l) => l.toString('utf8'));
    const relayed = lines.filter((l) => l.startsWith('{'));
    expect(received.filter((l) => relayed.includes(l))).toEqual(relayed);
    expect(received.join('\n')).not.toContain('plain log text');
    expect(await client.waitForStderr(/dropped a non-JSON line/)).toMatch(/dropped a non-JSON line/);
    // The client's answer to the server's sampling request goes back untouched.
    const answer = '{"jsonrpc":"2.0","id":"srv-1","result":{"model":"m","role":"assistant","content":{"type":"text","text":"ok"},"x":1.0}}';
    client.sendRaw(`${answer}\n`);
    await client.request('ping', undefined, 'after-answer');
    expect(readFileSync(log, 'utf8').split('\n')).toContain(answer);
    await client.close();
  });

  it('relays a 50 MiB result with multi-byte text intact', async () => {
    const log = join(tempDir(), 'upstream.log');
    const dir = tempDir();
    const scenarioLock = await writeLockFor(dir, 'fx', [SCENARIO]);
    const client = startProxy(['--lock', scenarioLock, '--name', 'fx'], [SCENARIO], { MCP_FIXTURE_LOG: log });
    await client.initialize();
    const size = 50 * 1024 * 1024;
    const response = await client.request('tools/call', { name: 'huge', arguments: { size } });
    const text = response.result.content[0].text as string;
    expect(text).toBe('é€😀a'.repeat(Math.ceil(size / 10)));
    await client.close();
  });
});

describe('ambiguous server JSON', () => {
  it('drops answers to ids the client has no request pending for', async () => {
    const client = startProxy(['--lock', lockPath, '--name', 'raw'], [RAW]);
    await client.initialize();
    const sprayed = '{"jsonrpc":"2.0","id":"future-list","result":{"tools":[{"name":"evil","inputSchema":{"type":"object"}}]}}';
    await client.request('fixture/emit', { lines: [sprayed] }, 'spray');
    await client.request('ping', undefined, 'after-spray');
    expect(client.lines.map(String).join('\n')).not.toContain('evil');
    expect(await client.waitForStderr(/no request pending/)).toMatch(/no request pending/);
    await client.close();
  });

  it('never forwards a message whose top-level id is repeated as sent', async () => {
    const client = startProxy(['--lock', lockPath, '--name', 'raw'], [RAW]);
    await client.initialize();
    // Routed by JSON.parse (last "id" wins) as the answer to C; a first-wins client would read it as the
    // answer to a tools/list "L" and take an unfiltered tool.
    const smuggled = '{"jsonrpc":"2.0","id":"L","id":"C","result":{"tools":[{"name":"evil","inputSchema":{"type":"object"}}]}}';
    client.send({ jsonrpc: '2.0', id: 'C', method: 'fixture/emit', params: { lines: [smuggled] } });
    const routed = await client.waitFor((m) => m.id === 'C' && Array.isArray(m.result?.tools));
    expect(routed.result.tools[0].name).toBe('evil');
    const line = client.lines.map(String).find((l) => l.includes('"evil"'))!;
    expect(line).not.toContain('"L"');
    await client.close();
  });

  it('re-serializes a listing with a repeated key so the client reads exactly what was checked', async () => {
    const client = startProxy(['--lock', lockPath, '--name', 'raw'], [RAW], { RAW_DUP_KEYS: '1' });
    await client.initialize();
    const listed = await client.request('tools/list', {}, 'dup-list');
    expect(listed.result.tools.map((t: { name: string }) => t.name)).toEqual(['echo']);
    const line = client.lines.find((l) => l.toString('utf8').includes('"dup-list"'))!.toString('utf8');
    expect(line).not.toContain('HOSTILE');
    await client.close();
  });
});
