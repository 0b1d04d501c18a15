// Definition rules throughput: 1,000 real tool definitions (the benign corpus, cycled and renamed across 20
// servers) through every phrase rule and code check. Budget: < 200 ms per analysis (design §7).
// Run after `npm run build`: node bench/rules.bench.mjs   (MCP_GUARD_DIST=/path/to/dist to override)
import { readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const dist = process.env.MCP_GUARD_DIST ? pathToFileURL(`${process.env.MCP_GUARD_DIST}/`) : new URL('../dist/', import.meta.url);
const TOOL_COUNT = 1000;
const SERVERS = 20;
const RUNS = 15;

const benignDir = new URL('../test/corpus/benign/', import.meta.url);
const realTools = readdirSync(benignDir)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .flatMap((file) => JSON.parse(readFileSync(new URL(file, benignDir), 'utf8')).tools);

const snapshots = Array.from({ length: SERVERS }, (_, i) => ({
  server: `server-${i}`,
  protocolVersion: '2025-11-25',
  serverInfo: {},
  serverCapabilities: {},
  clientCapabilities: {},
  tools: [],
  prompts: [],
  resources: [],
  resourceTemplates: [],
  notes: [],
}));
let textChars = 0;
for (let i = 0; i < TOOL_COUNT; i++) {
  const tool = structuredClone(realTools[i % realTools.length]);
  tool.name = `${tool.name}_${i}`;
  // Distinct text per copy, so no layer can profit from the corpus being cycled.
  if (typeof tool.description === 'string') tool.description += ` (copy ${i})`;
  textChars += JSON.stringify(tool).length;
  snapshots[i % SERVERS].tools.push(tool);
}

const loadStart = performance.now();
const { analyzeSnapshots } = await import(new URL('rules/engine.js', dist).href);
const importMs = performance.now() - loadStart;

const coldStart = performance.now();
const first = analyzeSnapshots(snapshots);
const coldMs = performance.now() - coldStart;

const times = [];
const cpuTimes = [];
for (let run = 0; run < RUNS; run++) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  analyzeSnapshots(snapshots);
  times.push(performance.now() - start);
  const used = process.cpuUsage(cpu);
  cpuTimes.push((used.user + used.system) / 1000);
}
times.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);
const fmt = (ms) => `${ms.toFixed(1)} ms`;
console.log(`definition rules: ${TOOL_COUNT} tools on ${SERVERS} servers, ${(textChars / 1024).toFixed(0)} KiB of JSON, ${first.findings.length} findings`);
console.log(`  import engine           ${fmt(importMs)}`);
console.log(`  first analysis (cold)   ${fmt(coldMs)}  (includes loading and compiling the rule files)`);
console.log(`  warm p50 / min / max    ${fmt(times[Math.floor(RUNS / 2)])} / ${fmt(times[0])} / ${fmt(times[RUNS - 1])}  over ${RUNS} runs`);
// On a shared machine wall time includes waiting for a core; CPU time is what the analysis itself costs.
console.log(`  warm CPU time p50       ${fmt(cpuTimes[Math.floor(RUNS / 2)])}`);
console.log(`  budget                  < 200 ms`);
