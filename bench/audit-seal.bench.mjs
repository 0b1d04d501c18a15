// Cost of writing one audit record (buildPendingRecord + sealRecord, chained), the audit worker's
// whole CPU budget per tool call. Runs the build in dist/ against a frozen copy of the record writer
// as it was before the sealing fast paths (createHmac per MAC, object spread and sort per record),
// interleaved round by round in one process so both see the same machine. Prints numbers only.
// Run after `npx tsc -p .`:  node bench/audit-seal.bench.mjs [records] [rounds]
// (MCP_GUARD_DIST=/path/to/dist to benchmark another build; MCP_GUARD_BEFORE_DIST=/path/to/dist adds
// an earlier build, e.g. a copy of dist/ made before a change, to the same interleaved rounds.)
import { createHmac, createSecretKey, hash } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = process.env.MCP_GUARD_DIST
  ? pathToFileURL(resolve(process.env.MCP_GUARD_DIST)).href + '/'
  : new URL('../dist/', import.meta.url).href;
const { buildPendingRecord, sealRecord, GENESIS_HASH } = await import(new URL('audit/record.js', dist).href);
const { redact, redactRepeated } = await import(new URL('findings/redact.js', dist).href);
const beforeDist = process.env.MCP_GUARD_BEFORE_DIST ? pathToFileURL(resolve(process.env.MCP_GUARD_BEFORE_DIST)).href + '/' : undefined;
const before = beforeDist ? await import(new URL('audit/record.js', beforeDist).href) : undefined;

const RECORDS = Number(process.argv[2] ?? 20_000);
const ROUNDS = Number(process.argv[3] ?? 11);

// ---------------------------------------------------------------------------------------------
// Baseline: src/audit/record.ts as of commit 9804cec (before this change), transcribed to JS.
// ---------------------------------------------------------------------------------------------
const baseline = (() => {
  const keyObjects = new WeakMap();
  function hmacKey(key) {
    const known = keyObjects.get(key);
    if (known && known.bytes.equals(key)) return known.object;
    const object = createSecretKey(key);
    keyObjects.set(key, { bytes: Buffer.from(key), object });
    return object;
  }
  const quotedNames = new Map();
  function quotedName(name) {
    let quoted = quotedNames.get(name);
    if (quoted === undefined) {
      quoted = JSON.stringify(name);
      if (quotedNames.size < 256) quotedNames.set(name, quoted);
    }
    return quoted;
  }
  function canonicalJson(value) {
    if (value === null || typeof value !== 'object') {
      if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('non-finite number has no JSON form');
      return JSON.stringify(value);
    }
    if (Array.isArray(value)) {
      let out = '[';
      for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
      return `${out}]`;
    }
    const keys = Object.keys(value).sort();
    let out = '{';
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      out += `${i > 0 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(value[key])}`;
    }
    return `${out}}`;
  }
  const MAX_DEPTH = 16;
  const MAX_KEYS = 64;
  const MAX_ITEMS = 16;
  const MAX_VALUE_CHARS = 256;
  const safeText = (text) => redactRepeated(toWellFormed(text));
  function setOwn(out, key, value) {
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
  const SURROGATE = /[\uD800-\uDFFF]/;
  const toWellFormed = (text) => (SURROGATE.test(text) ? text.replace(LONE_SURROGATE, '\uFFFD') : text);
  function toJsonValue(value, depth) {
    if (value === null || typeof value === 'boolean') return value;
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    if (typeof value === 'string') return toWellFormed(value);
    if (depth > 256) return null;
    if (Array.isArray(value)) return value.map((item) => toJsonValue(item, depth + 1));
    if (typeof value === 'object') {
      const out = {};
      for (const [key, inner] of Object.entries(value)) {
        if (inner !== undefined) setOwn(out, toWellFormed(key), toJsonValue(inner, depth + 1));
      }
      return out;
    }
    return null;
  }
  function shapeOf(value, depth) {
    if (value === null) return 'null';
    if (Array.isArray(value)) {
      if (depth >= MAX_DEPTH) return 'array';
      const items = value.slice(0, MAX_ITEMS).map((item) => shapeOf(item, depth + 1));
      if (value.length > MAX_ITEMS) items.push(`…${value.length - MAX_ITEMS} more`);
      return items;
    }
    if (typeof value === 'object') {
      if (depth >= MAX_DEPTH) return 'object';
      const out = {};
      const keys = Object.keys(value).sort();
      for (const key of keys.slice(0, MAX_KEYS)) setOwn(out, redactRepeated(key), shapeOf(value[key], depth + 1));
      if (keys.length > MAX_KEYS) out['…'] = `${keys.length - MAX_KEYS} more keys`;
      return out;
    }
    return typeof value;
  }
  function redactedValues(value, depth) {
    if (typeof value === 'string') {
      const text = redact(value);
      return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…(${text.length} chars)` : text;
    }
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_DEPTH) return Array.isArray(value) ? 'array' : 'object';
    if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((item) => redactedValues(item, depth + 1));
    const out = {};
    for (const key of Object.keys(value).sort().slice(0, MAX_KEYS)) setOwn(out, redactRepeated(key), redactedValues(value[key], depth + 1));
    return out;
  }
  function describeArguments(args, options) {
    const wellFormed = toJsonValue(args === undefined ? {} : args, 0);
    const out = {
      hash: `hmac-sha256:${createHmac('sha256', hmacKey(options.key)).update(canonicalJson(wellFormed)).digest('hex')}`,
      shape: shapeOf(wellFormed, 0),
    };
    if (options.includeValues) out['values'] = redactedValues(wellFormed, 0);
    return out;
  }
  function buildPendingRecord(entry, time, options) {
    const record = {
      v: 1,
      time: time.toISOString(),
      pid: process.pid,
      server: safeText(entry.server),
      tool: safeText(entry.tool),
      decision: entry.decision,
      args: describeArguments(entry.arguments, options),
    };
    if (entry.method !== undefined) record['method'] = safeText(entry.method);
    if (entry.source !== undefined) record['source'] = safeText(entry.source);
    if (entry.reason !== undefined) record['reason'] = safeText(entry.reason);
    if (entry.lockDigest !== undefined) record['lockDigest'] = safeText(entry.lockDigest);
    if (entry.approval) record['approval'] = { via: safeText(entry.approval.via), outcome: safeText(entry.approval.outcome) };
    if (entry.rule) {
      const rule = {};
      if (entry.rule.file !== undefined) rule['file'] = safeText(entry.rule.file);
      if (entry.rule.index !== undefined) rule['index'] = entry.rule.index;
      if (entry.rule.line !== undefined) rule['line'] = entry.rule.line;
      record['rule'] = rule;
    }
    return record;
  }
  function sealRecord(pending, seq, prev, key) {
    const unsigned = { ...pending, seq, prev };
    const names = Object.keys(unsigned).sort();
    let before = '';
    let after = '';
    for (const name of names) {
      if (name === 'mac') throw new Error('a pending audit record cannot carry its own mac');
      const member = `${quotedName(name)}:${canonicalJson(unsigned[name])}`;
      if (name < 'mac') before = before ? `${before},${member}` : member;
      else after = after ? `${after},${member}` : member;
    }
    const mac = createHmac('sha256', hmacKey(key))
      .update(`{${before}${before && after ? ',' : ''}${after}}`)
      .digest('hex');
    const line = `{${before}${before ? ',' : ''}"mac":"${mac}"${after ? ',' : ''}${after}}`;
    return { line, hash: `sha256:${hash('sha256', line, 'hex')}` };
  }
  return { buildPendingRecord, sealRecord };
})();

// ---------------------------------------------------------------------------------------------
// Workload: what the proxy audits. Mostly allowed calls checked against the lock (source + digest),
// some denials with a policy rule and reason, a few approvals; arguments from a path up to a page
// of text with nested options.
// ---------------------------------------------------------------------------------------------
let seed = 0x9e3779b9;
const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const pick = (list) => list[Math.floor(random() * list.length)];
const WORDS = 'read write list search file notes project table row query index cache remote local path content encoding limit offset page cursor branch commit release label status priority owner team'.split(' ');
const sentence = (n) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
const SERVERS = ['filesystem', 'github', 'memory', 'everything', 'postgres'];
const TOOLS = ['read_file', 'write_file', 'list_directory', 'search_files', 'create_issue', 'get_file_contents', 'query', 'create_entities', 'echo', 'add'];
const DIGESTS = Array.from({ length: 10 }, () => `sha256:${hex(64)}`);

function smallArguments() {
  return pick([
    () => ({ path: `/home/user/project/${pick(WORDS)}/${pick(WORDS)}.ts` }),
    () => ({ a: Math.floor(random() * 1000), b: Math.floor(random() * 1000) }),
    () => ({ message: sentence(6) }),
    () => ({ owner: 'octo', repo: pick(WORDS), path: `src/${pick(WORDS)}.md`, branch: 'main' }),
  ])();
}

function mediumArguments() {
  return pick([
    () => ({ path: `/home/user/project/${pick(WORDS)}.md`, content: sentence(80), options: { encoding: 'utf8', createDirs: random() < 0.5, mode: 420 } }),
    () => ({ sql: `select * from ${pick(WORDS)} where ${pick(WORDS)} = $1 limit 50`, params: [pick(WORDS), Math.floor(random() * 100)], timeoutMs: 5000 }),
    () => ({
      entities: Array.from({ length: 3 + Math.floor(random() * 4) }, () => ({ name: pick(WORDS), entityType: pick(WORDS), observations: [sentence(8), sentence(5)] })),
    }),
    () => ({ owner: 'octo', repo: pick(WORDS), title: sentence(8), body: sentence(60), labels: [pick(WORDS), pick(WORDS)], assignees: [] }),
  ])();
}

function auditEntry() {
  const roll = random();
  const base = { server: pick(SERVERS), tool: pick(TOOLS), arguments: random() < 0.6 ? smallArguments() : mediumArguments() };
  if (roll < 0.7) return { ...base, decision: 'allow', source: 'lock', lockDigest: pick(DIGESTS) };
  if (roll < 0.85) return { ...base, decision: 'deny', source: 'rule', reason: `tool ${base.tool} denied by rule ${Math.floor(random() * 8)}`, rule: { file: '/home/user/.config/mcp-guard/policy.yaml', index: Math.floor(random() * 8), line: 10 + Math.floor(random() * 50) }, lockDigest: pick(DIGESTS) };
  if (roll < 0.95) return { ...base, decision: 'approve', lockDigest: pick(DIGESTS), reason: 'asks before writing', approval: { via: 'elicitation', outcome: random() < 0.8 ? 'accept' : 'decline' } };
  return { ...base, decision: 'allow', source: 'unchecked' };
}

const entries = Array.from({ length: RECORDS }, auditEntry);
const times = entries.map((_, i) => new Date(1_790_000_000_000 + i * 7));
const key = Buffer.from(hex(64), 'hex');

function writeAll(impl, options, lines) {
  let prev = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const sealed = impl.sealRecord(impl.buildPendingRecord(entries[i], times[i], options), i + 1, prev, key);
    prev = sealed.hash;
    if (lines) lines[i] = sealed.line;
  }
  return prev;
}

const current = { buildPendingRecord, sealRecord };
const contenders = { baseline, ...(before ? { before } : {}), current };
const names = Object.keys(contenders);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

for (const includeValues of [false, true]) {
  const options = { key, includeValues };
  const lines = Object.fromEntries(names.map((name) => [name, new Array(RECORDS)]));
  for (const name of names) writeAll(contenders[name], options, lines[name]);
  const differing = names.filter((name) => lines[name].some((line, i) => line !== lines.baseline[i]));

  // Wall time, and the process's CPU time (all its threads, so the GC's helpers count): on a shared
  // machine the CPU time moves less when other processes take the core.
  const wall = Object.fromEntries(names.map((name) => [name, []]));
  const cpu = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate which goes first so none always runs on a warmer or cooler machine.
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      const startCpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      writeAll(contenders[name], options, undefined);
      wall[name].push(Number(process.hrtime.bigint() - start) / 1e3 / RECORDS);
      const used = process.cpuUsage(startCpu);
      cpu[name].push((used.user + used.system) / RECORDS);
    }
  }
  console.log(`includeValues=${includeValues}  records=${RECORDS} rounds=${ROUNDS}  (medians; min in brackets)`);
  for (const name of names) {
    console.log(`  ${name.padEnd(8)}  wall ${median(wall[name]).toFixed(2)} µs/record (${Math.min(...wall[name]).toFixed(2)})  cpu ${median(cpu[name]).toFixed(2)} µs/record (${Math.min(...cpu[name]).toFixed(2)})`);
  }
  for (const name of names.slice(1)) {
    console.log(`  ${`baseline/${name}`.padEnd(18)} wall ${(median(wall.baseline) / median(wall[name])).toFixed(2)}x  cpu ${(median(cpu.baseline) / median(cpu[name])).toFixed(2)}x`);
  }
  if (before) console.log(`  before/current     wall ${(median(wall.before) / median(wall.current)).toFixed(2)}x  cpu ${(median(cpu.before) / median(cpu.current)).toFixed(2)}x`);
  console.log(`  identical: ${differing.length === 0 ? 'yes' : `no (${differing.join(', ')} differ from baseline)`}`);
}
