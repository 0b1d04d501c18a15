// The lock-only configuration for bench/proxy.bench.mjs: the proxy's relay and gate with the lock
// enforced and nothing else (no policy, no audit), which the CLI cannot express because it always
// audits. Built from the same dist modules as the CLI.
// Usage: node bench/proxy-lock-relay.mjs DIST LOCK NAME -- COMMAND [ARG]...
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [dist, lock, name, separator, command, ...args] = process.argv.slice(2);
if (separator !== '--' || !command) throw new Error('usage: proxy-lock-relay.mjs DIST LOCK NAME -- COMMAND [ARG]...');
const load = (path) => import(pathToFileURL(join(dist, path)).href);
const [{ loadGateLock }, { GateState }, { Relay }, { ChildUpstream }] = await Promise.all([
  load('proxy/lock-view.js'),
  load('proxy/gate-state.js'),
  load('proxy/relay.js'),
  load('proxy/child.js'),
]);
const loaded = await loadGateLock(lock, name);
const state = new GateState(loaded.serverName, loaded.view, loaded.classify, 'enforce', () => {});
const log = (line) => process.stderr.write(`${line}\n`);
const relay = new Relay({ clientIn: process.stdin, clientOut: process.stdout, gate: { kind: 'enforce', state }, log, serverName: loaded.serverName });
relay.attach(new ChildUpstream(command, args, relay.upstreamHandlers, { env: process.env, cwd: process.cwd() }));
process.exitCode = await relay.done;
