// mcp-guard wrap   [--client ID | --config FILE] [--lock FILE] [--policy FILE] [--server NAME]... [--dry-run]
// mcp-guard unwrap [--client ID | --config FILE] [--server NAME]... [--dry-run]

import { readFile, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import { stateDirectory } from '../../audit/state-dir.js';
import { detectClient } from '../../clients/detect.js';
import { CLIENTS } from '../../clients/registry.js';
import { GuardError } from '../../errors.js';
import { escapeForDisplay, safeLines } from '../../findings/escape.js';
import { redact } from '../../findings/redact.js';
import { readLock } from '../../lock/lock-file.js';
import type { ClientId } from '../../model.js';
import { readPolicy } from '../../policy/load.js';
import { applyPlan } from '../../wrap/apply-plan.js';
import { isEditableLocation } from '../../wrap/editable.js';
import { installedProxyPaths, type ProxySettings } from '../../wrap/launch.js';
import { readSidecar } from '../../wrap/sidecar.js';
import { planUnwrap, planWrap, type ConfigPlan } from '../../wrap/wrap-config.js';
import { discoveryEnvFor } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo, Command } from '../io.js';
import { pathExists } from '../../io/path-exists.js';

const WRAP_USAGE = 'usage: mcp-guard wrap [--client ID | --config FILE] [--lock FILE] [--policy FILE] [--server NAME]... [--dry-run]';
const UNWRAP_USAGE = 'usage: mcp-guard unwrap [--client ID | --config FILE] [--server NAME]... [--dry-run]';

interface TargetArgs {
  client?: string;
  config?: string;
}

function parse(args: string[], usage: string, withProxyOptions: boolean) {
  const options: ParseArgsConfig['options'] = {
    client: { type: 'string' },
    config: { type: 'string' },
    server: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  };
  if (withProxyOptions) {
    options['lock'] = { type: 'string' };
    options['policy'] = { type: 'string' };
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: false, strict: true });
  } catch (error) {
    throw new GuardError('usage', `${(error as Error).message}\n${usage}`);
  }
  const values = parsed.values as TargetArgs & { server?: string[]; 'dry-run'?: boolean; help?: boolean; lock?: string; policy?: string };
  if (!values.help && (values.client === undefined) === (values.config === undefined)) {
    throw new GuardError('usage', `choose one of --client ID or --config FILE\n${usage}`);
  }
  return values;
}

/** The config files to edit, each with the client format it is in. */
async function targetFiles(target: TargetArgs, io: CliIo): Promise<{ file: string; client: ClientId }[]> {
  if (target.config !== undefined) {
    const given = resolve(io.cwd, target.config);
    const text = await readText(given);
    return [{ file: await realpath(given), client: detectClient(text, given) }];
  }
  const client = CLIENTS.find((candidate) => candidate.id === target.client);
  if (!client) {
    throw new GuardError('usage', `unknown client "${target.client}"; known: ${CLIENTS.map((c) => c.id).join(', ')}`);
  }
  const env = discoveryEnvFor(io);
  const locations = await client.locations(env);
  const found: { file: string; client: ClientId }[] = [];
  const seen = new Set<string>();
  let anyFound = false;
  for (const location of locations) {
    if (!(await pathExists(location.path))) continue;
    anyFound = true;
    if (!isEditableLocation(location)) {
      io.stdout.write(`${location.path} (${client.id})\n  left alone: ${location.scope === 'managed' ? 'a managed (administrator) file' : 'a file provided by a plugin'}\n`);
      continue;
    }
    const file = await realpath(location.path);
    if (seen.has(file)) continue;
    seen.add(file);
    found.push({ file, client: client.id });
  }
  if (!anyFound) {
    throw new GuardError('config-unreadable', `no ${client.displayName} config file found`, {
      hint: `looked at: ${locations.map((location) => location.path).join(', ')}`,
    });
  }
  return found;
}

export const wrapCommand: Command = async (args, io) => {
  const values = parse(args, WRAP_USAGE, true);
  if (values.help) {
    io.stdout.write(`${WRAP_USAGE}\n`);
    return EXIT.ok;
  }
  const lockPath = resolve(io.cwd, values.lock ?? 'mcp.lock');
  const lock = await readLock(lockPath);
  if (!lock) throw new GuardError('lock-missing', 'lock file not found', { location: { file: lockPath }, hint: 'run `mcp-guard lock` first: the proxy refuses servers without a lock' });
  const settings: ProxySettings = { ...installedProxyPaths(), lock: lockPath };
  if (values.policy !== undefined) {
    settings.policy = resolve(io.cwd, values.policy);
    // A policy the proxy would refuse must not be written into a client's config.
    await readPolicy(settings.policy);
  }
  const stateDir = stateDirectory(io.env, io.env['HOME'] ?? homedir());
  const lockedServers = new Set(Object.keys(lock.servers));
  for (const { file, client } of await targetFiles(values, io)) {
    const plan = planWrap(await readText(file), file, client, await readSidecar(stateDir, file), {
      settings,
      lockedServers,
      ...(values.server ? { only: values.server } : {}),
    });
    await report(plan, io, values['dry-run'] === true, stateDir, 'wrap');
  }
  return EXIT.ok;
};

export const unwrapCommand: Command = async (args, io) => {
  const values = parse(args, UNWRAP_USAGE, false);
  if (values.help) {
    io.stdout.write(`${UNWRAP_USAGE}\n`);
    return EXIT.ok;
  }
  const stateDir = stateDirectory(io.env, io.env['HOME'] ?? homedir());
  for (const { file, client } of await targetFiles(values, io)) {
    const plan = planUnwrap(await readText(file), file, client, await readSidecar(stateDir, file), values.server ? { only: values.server } : {});
    await report(plan, io, values['dry-run'] === true, stateDir, 'unwrap');
  }
  return EXIT.ok;
};

async function report(plan: ConfigPlan, io: CliIo, dryRun: boolean, stateDir: string, kind: 'wrap' | 'unwrap'): Promise<void> {
  io.stdout.write(`${plan.file} (${plan.client})\n`);
  if (plan.outcomes.length === 0) io.stdout.write(`  nothing to ${kind}\n`);
  for (const outcome of plan.outcomes) {
    const detail = outcome.detail ? `: ${outcome.detail}` : '';
    // Entry names come from config files (a cloned repo's project config among them): escape them.
    io.stdout.write(`${safeLines(redact(`  ${outcome.status.padEnd(18)} ${escapeForDisplay(outcome.name)}${detail}`))}\n`);
  }
  if (plan.after === plan.before) return;
  if (dryRun) {
    // Diffs of config files can hold env values; they are the user's own, but terminals get logged.
    io.stdout.write(safeLines(redact(createTwoFilesPatch(plan.file, plan.file, plan.before, plan.after, 'current', `after ${kind}`))));
    io.stdout.write('  (dry run: nothing written)\n');
    return;
  }
  const backup = await applyPlan(plan, stateDir, kind);
  if (backup) io.stdout.write(`  backup: ${backup}\n`);
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new GuardError('config-unreadable', 'config file not found or unreadable', { location: { file }, cause: error });
  }
}
