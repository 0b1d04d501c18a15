// Proxy overhead, measured against the same upstream, every variant interleaved in one run:
//   direct       client ⇄ server
//   bare         client ⇄ bench/proxy-bare-relay.mjs (pipes bytes, no parsing) ⇄ server
//   parse        client ⇄ bench/proxy-parse-relay.mjs (JSON.parse of every message, no checks) ⇄ server:
//                the floor for any relay that reads what it forwards
//   lock         client ⇄ the proxy's relay with the lock enforced, no policy, no audit (bench/proxy-lock-relay.mjs)
//   full         client ⇄ `mcp-guard proxy` with lock + policy + audit on (design §7's budget), audit
//                log, key and user config in a temp dir, never the user's state directory
// Two upstreams, each with all variants: `raw`, a hand-written fixture server that costs almost nothing per
// call (the proxy's own cost in full view: a stress figure), and `everything`, the official reference server
// (an SDK server, what users run, and the kind of server facts.md's relay figures were measured with).
// With MCP_GUARD_BENCH_BASE=DIR (another checkout, built), `lock@base` and `full@base` run that build
// too, interleaved with this one: an A/B on the same noisy machine.
// Prints numbers only. Needs `npx tsc -p .` first.
// Usage: node --expose-gc bench/proxy.bench.mjs [rounds]   (--expose-gc enables the in-process heap figure)
//        MCP_GUARD_BENCH_WARMUP=N sets the warm-up calls per connection (default 500)
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PassThrough } from 'node:stream';
import { lockServer, serializeLock, updateLock } from '../dist/lock/lock-file.js';
import { GateState } from '../dist/proxy/gate-state.js';
import { loadGateLock } from '../dist/proxy/lock-view.js';
import { Relay } from '../dist/proxy/relay.js';

const root = resolve(import.meta.dirname, '..');
const everythingPackage = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/package.json');
/** Each upstream: how to start it, and the one call the benchmark repeats. */
const upstreams = {
  raw: { args: [join(root, 'fixtures/servers/proxy/raw-server.mjs')], call: { name: 'echo', arguments: { text: 'hello' } } },
  everything: { args: [join(dirname(everythingPackage), 'dist/index.js'), 'stdio'], call: { name: 'echo', arguments: { message: 'hello' } } },
};
const bareRelay = join(root, 'bench/proxy-bare-relay.mjs');
const parseRelay = join(root, 'bench/proxy-parse-relay.mjs');
const lockRelay = join(root, 'bench/proxy-lock-relay.mjs');
const rounds = Number(process.argv[2] ?? 2000);
// Calls per connection before anything is measured. 500 leaves V8 still compiling the relay during the
// latency loop, as in a short session; several thousand measure the steady state of a long one.
const warmup = Number(process.env['MCP_GUARD_BENCH_WARMUP'] ?? 500);
const node = process.execPath;
const base = process.env['MCP_GUARD_BENCH_BASE'] ? resolve(process.env['MCP_GUARD_BENCH_BASE']) : undefined;
const scratch = mkdtempSync(join(tmpdir(), 'mcp-guard-bench-'));
// The proxy reads the user policy and writes its audit key under these: keep both out of the user's home.
const benchEnv = { ...process.env, HOME: scratch, XDG_STATE_HOME: join(scratch, 'state'), XDG_CONFIG_HOME: join(scratch, 'config') };
delete benchEnv['MCP_GUARD_BENCH_BASE'];
delete benchEnv['MCP_GUARD_BENCH_WARMUP'];

class Conn {
  constructor(args, call) {
    this.callParams = call;
    this.child = spawn(node, args, { stdio: ['pipe', 'pipe', 'ignore'], env: benchEnv });
    this.waiting = new Map();
    this.rest = '';
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (text) => {
      const parts = (this.rest + text).split('\n');
      this.rest = parts.pop();
      for (const part of parts) {
        if (!part) continue;
        const message = JSON.parse(part);
        const done = this.waiting.get(message.id);
        if (done) {
          this.waiting.delete(message.id);
          done(message);
        }
      }
    });
    this.next = 0;
  }
  request(method, params) {
    const id = ++this.next;
    return new Promise((resolveRequest) => {
      this.waiting.set(id, resolveRequest);
      this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  }
  async initialize() {
    const response = await this.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } });
    this.child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
    return response;
  }
  call() {
    return this.request('tools/call', this.callParams);
  }
  /** User + system CPU seconds of the process so far (/proc, clock ticks at 100 Hz). */
  cpu() {
    const fields = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  }
  rss() {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
  }
  close() {
    this.child.stdin.end();
    return new Promise((resolveClose) => this.child.on('exit', resolveClose));
  }
}

/** One lock for both upstreams, each listed the way the proxies will see it (no client capabilities). */
async function makeLock() {
  const servers = {};
  for (const [name, upstream] of Object.entries(upstreams)) {
    const conn = new Conn([...upstream.args], upstream.call);
    const init = await conn.initialize();
    const tools = (await conn.request('tools/list', {})).result.tools;
    await conn.close();
    const snapshot = {
      server: name, protocolVersion: init.result.protocolVersion, serverInfo: init.result.serverInfo,
      serverCapabilities: init.result.capabilities, clientCapabilities: {}, tools, prompts: [], resources: [], resourceTemplates: [], notes: [],
      ...(typeof init.result.instructions === 'string' ? { instructions: init.result.instructions } : {}),
    };
    servers[name] = lockServer({ name, transport: 'stdio', command: 'node', args: upstream.args, sources: [] }, snapshot);
  }
  const path = join(scratch, 'mcp.lock');
  writeFileSync(path, serializeLock(updateLock(undefined, servers)));
  return path;
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const fmt = (n, digits = 3) => n.toFixed(digits);

const lock = await makeLock();
// Several rules before the one that allows the benchmarked call, the way a real policy reads.
const policy = join(scratch, 'policy.yaml');
const policyFor = (server, argument) => [
  `  ${server}:`,
  '    rules:',
  '      - tool: "delete_*"',
  '        action: deny',
  '        reason: nothing is deleted here',
  '      - tool: echo',
  '        match:',
  `          ${argument}: "^(secret|password)"`,
  '        action: deny',
  '      - tool: echo',
  '        action: allow',
];
writeFileSync(policy, ['version: 1', 'default: deny', 'servers:', ...policyFor('raw', 'text'), ...policyFor('everything', 'message'), ''].join('\n'));
mkdirSync(join(scratch, 'config'), { recursive: true });
const auditFiles = {};
const builds = { '': root, ...(base ? { '@base': base } : {}) };
/** Variant name → [upstream, node arguments]; names are `variant:upstream`. */
const variants = {};
for (const [up, upstream] of Object.entries(upstreams)) {
  const server = upstream.args;
  variants[`direct:${up}`] = [up, [...server]];
  variants[`bare:${up}`] = [up, [bareRelay, node, ...server]];
  variants[`parse:${up}`] = [up, [parseRelay, node, ...server]];
  for (const [suffix, dir] of Object.entries(builds)) {
    variants[`lock${suffix}:${up}`] = [up, [lockRelay, join(dir, 'dist'), lock, up, '--', node, ...server]];
    auditFiles[`full${suffix}:${up}`] = join(scratch, `audit${suffix}-${up}.jsonl`);
    variants[`full${suffix}:${up}`] = [up, [join(dir, 'bin/mcp-guard.js'), 'proxy', '--lock', lock, '--name', up, '--policy', policy, '--audit', auditFiles[`full${suffix}:${up}`], '--', node, ...server]];
  }
}
const names = Object.keys(variants);
const byName = (make) => Object.fromEntries(names.map((name) => [name, make(name)]));
const open = (name) => new Conn(variants[name][1], upstreams[variants[name][0]].call);

// Start time: spawn → initialize answered (median of 9, interleaved).
const starts = byName(() => []);
for (let i = 0; i < 9; i++) {
  for (const name of names) {
    const t0 = performance.now();
    const conn = open(name);
    await conn.initialize();
    starts[name].push(performance.now() - t0);
    await conn.close();
  }
}

const conns = {};
for (const name of names) {
  conns[name] = open(name);
  await conns[name].initialize();
  for (let i = 0; i < warmup; i++) await conns[name].call();
}

// Round-trip latency, interleaved call by call.
const latency = byName(() => []);
for (let i = 0; i < rounds; i++) {
  for (const name of names) {
    const t0 = performance.now();
    await conns[name].call();
    latency[name].push(performance.now() - t0);
  }
}

// Pipelined throughput: batches of 2000 in flight, interleaved across variants.
const throughput = byName(() => []);
for (let r = 0; r < 5; r++) {
  for (const name of names) {
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 2000 }, () => conns[name].call()));
    throughput[name].push(2000 / ((performance.now() - t0) / 1000));
  }
}

/** Waits until the process has used no CPU for 200 ms (clock ticks are 10 ms). */
async function settled(conn) {
  for (let last = conn.cpu(), still = 0; still < 4; ) {
    await new Promise((r) => setTimeout(r, 50));
    const now = conn.cpu();
    still = now === last ? still + 1 : 0;
    last = now;
  }
}

// CPU spent by the relay process itself per pipelined call: robust to a busy machine, unlike wall time.
const cpuPerCall = {};
for (const name of names.filter((n) => !n.startsWith('direct:'))) {
  await settled(conns[name]);
  const before = conns[name].cpu();
  for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: 1000 }, () => conns[name].call()));
  // The audit worker may still be sealing and writing after the last answer: count its work too.
  await settled(conns[name]);
  cpuPerCall[name] = ((conns[name].cpu() - before) * 1e6) / 20_000;
}

// Memory of the full proxy (lock + policy + audit) over 100k calls, on the upstream that answers fastest.
const proxy = conns['full:raw'];
const memory = [[0, proxy.rss()]];
for (let done = 0; done < 100_000; ) {
  await Promise.all(Array.from({ length: 1000 }, () => proxy.call()));
  done += 1000;
  if (done % 25_000 === 0) memory.push([done, proxy.rss()]);
}

for (const conn of Object.values(conns)) await conn.close();

// Every audit log written under this load must verify (chain, MACs, anchor).
const verified = {};
for (const [name, file] of Object.entries(auditFiles)) {
  const dir = name.includes('@base') ? base : root;
  const run = spawnSync(node, [join(dir, 'bin/mcp-guard.js'), 'audit', 'verify', file], { env: benchEnv, encoding: 'utf8' });
  const records = readFileSync(file, 'utf8').split('\n').length - 1;
  verified[name] = `${run.status === 0 ? 'ok' : `FAILED(${run.status}: ${(run.stdout + run.stderr).trim().split('\n')[0]})`}:${records}`;
}

// In-process: the relay and gate alone (PassThrough client, an upstream that answers synchronously), so
// the heap can be measured after a forced GC: flat means nothing is retained per call.
async function inProcess() {
  const loaded = await loadGateLock(lock, 'raw');
  const tools = [...loaded.view.entities.tool.values()].map((entity) => entity.definition);
  const state = new GateState('raw', loaded.view, loaded.classify, 'enforce', () => {});
  const clientIn = new PassThrough();
  const clientOut = new PassThrough();
  clientOut.resume();
  const relay = new Relay({ clientIn, clientOut, gate: { kind: 'enforce', state }, log: () => {} });
  const handlers = relay.upstreamHandlers;
  const answer = (message) => handlers.onMessage(Buffer.from(JSON.stringify(message)));
  relay.attach({
    send(framed) {
      const message = JSON.parse(framed.subarray(0, framed.length - 1));
      if (message.method === 'tools/list') answer({ jsonrpc: '2.0', id: message.id, result: { tools } });
      else if ('id' in message) answer({ jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text: 'hello' }] } });
      return true;
    },
    onceDrain() {}, pause() {}, resume() {}, shutdown() {}, signal() {},
  });
  clientIn.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
  await new Promise((r) => setTimeout(r, 50));
  const heap = [];
  let sent = 0;
  const t0 = performance.now();
  for (let batch = 0; batch <= 100; batch++) {
    if (batch % 25 === 0) {
      globalThis.gc?.();
      heap.push([sent, process.memoryUsage().heapUsed / 1048576]);
    }
    if (batch === 100) break;
    for (let i = 0; i < 1000; i++, sent++) {
      clientIn.write(`{"jsonrpc":"2.0","id":${sent},"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"}}}\n`);
    }
    await new Promise((r) => setImmediate(r));
  }
  return { usPerCall: ((performance.now() - t0) * 1000) / sent, heap };
}
const local = await inProcess();

const p = (name, q) => quantile(latency[name], q);
const med = (values) => quantile(values, 0.5);
const fmtAll = (list, value, digits) => list.map((n) => `${n} ${fmt(value(n), digits)}`).join(' ');
console.log(`rounds ${rounds} warmup ${warmup}`);
for (const up of Object.keys(upstreams)) {
  const of = (variant) => `${variant}:${up}`;
  const mine = names.filter((n) => n.endsWith(`:${up}`));
  const proxies = mine.filter((n) => !n.startsWith('direct:') && !n.startsWith('bare:'));
  const checking = proxies.filter((n) => !n.startsWith('parse:'));
  const added = (name) => p(name, 0.5) - p(of('direct'), 0.5);
  console.log(`── upstream ${up}`);
  for (const name of mine) console.log(`latency_ms ${name} p50 ${fmt(p(name, 0.5))} p99 ${fmt(p(name, 0.99))}`);
  console.log(`added_latency_ms_p50 ${fmtAll(mine.filter((n) => n !== of('direct')), added, 3)}`);
  console.log(`added_latency_ratio_p50 (vs bare; budget 1.2) ${fmtAll(proxies, (n) => added(n) / added(of('bare')), 2)}`);
  console.log(`added_latency_ratio_p50 (vs parse floor) ${fmtAll(checking, (n) => added(n) / added(of('parse')), 2)}`);
  console.log(`latency_ratio_p99 (vs bare) ${fmtAll(proxies, (n) => p(n, 0.99) / p(of('bare'), 0.99), 2)}`);
  for (const name of mine) console.log(`throughput_calls_per_s ${name} ${fmt(med(throughput[name]), 0)}`);
  const rate = (name) => med(throughput[name]);
  console.log(`throughput_ratio (vs bare; budget 0.9) ${fmtAll(proxies, (n) => rate(n) / rate(of('bare')), 2)} bare/direct ${fmt(rate(of('bare')) / rate(of('direct')), 2)}`);
  console.log(`throughput_ratio (vs parse floor) ${fmtAll(checking, (n) => rate(n) / rate(of('parse')), 2)}`);
  console.log(`relay_process_cpu_us_per_call ${fmtAll(proxies.concat(of('bare')), (n) => cpuPerCall[n], 1)}`);
  for (const name of mine) console.log(`start_to_initialize_ms ${name} p50 ${fmt(med(starts[name]), 1)}`);
  const start = (name) => med(starts[name]);
  console.log(`start_added_ms (vs bare; budget 60) ${fmtAll(proxies, (n) => start(n) - start(of('bare')), 1)} bare-direct ${fmt(start(of('bare')) - start(of('direct')), 1)}`);
}
console.log('── in process and memory');
console.log(`relay_in_process_us_per_call (lock only) ${fmt(local.usPerCall, 1)}`);
if (globalThis.gc) console.log(`relay_heap_mb_after_gc ${local.heap.map(([calls, mb]) => `${calls}:${fmt(mb, 1)}`).join(' ')}`);
console.log(`full_proxy_rss_mb (raw) ${memory.map(([calls, mb]) => `${calls}:${fmt(mb, 1)}`).join(' ')}`);
console.log(`audit_verify (status:records) ${Object.entries(verified).map(([n, v]) => `${n} ${v}`).join(' ')}`);
