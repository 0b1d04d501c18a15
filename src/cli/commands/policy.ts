// mcp-guard policy check FILE [--lock FILE]

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GuardError } from '../../errors.js';
import { redact } from '../../findings/redact.js';
import { readLock } from '../../lock/lock-file.js';
import { checkPolicyAgainstLock, type LockedTools } from '../../policy/check-lock.js';
import { lintPolicy } from '../../policy/lint.js';
import { readPolicy } from '../../policy/load.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo, Command } from '../io.js';

const USAGE = 'usage: mcp-guard policy check FILE [--lock FILE]';

export const policyCommand: Command = async (args: string[], io: CliIo): Promise<number> => {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { lock: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new GuardError('usage', `${(error as Error).message}\n${USAGE}`);
  }
  if (parsed.values.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const [subcommand, file, ...extra] = parsed.positionals;
  if (subcommand !== 'check' || file === undefined || extra.length > 0) throw new GuardError('usage', USAGE);

  const policyFile = resolve(io.cwd, file);
  const policy = await readPolicy(policyFile);
  const rules = [...policy.servers.values()].reduce((sum, server) => sum + server.rules.length, 0);
  for (const warning of lintPolicy(policy)) {
    const { file: where, line, column } = warning.location;
    io.stderr.write(redact(`mcp-guard: ${where}:${line}:${column}: warning: ${warning.message}\n`));
  }
  if (parsed.values.lock !== undefined) {
    const lockFile = resolve(io.cwd, parsed.values.lock);
    const problems = checkPolicyAgainstLock(policy, await readLockedTools(lockFile));
    if (problems.length > 0) {
      for (const problem of problems) {
        const { file: where, line, column } = problem.location;
        io.stderr.write(redact(`mcp-guard: ${where}:${line}:${column}: ${problem.message}\n`));
      }
      io.stderr.write(`mcp-guard: ${problems.length} problem${problems.length === 1 ? '' : 's'} against ${lockFile}\n`);
      return EXIT.usage;
    }
  }
  const against = parsed.values.lock !== undefined ? ', checked against the lock' : '';
  io.stdout.write(`${file}: valid (${policy.servers.size} server${policy.servers.size === 1 ? '' : 's'}, ${rules} rule${rules === 1 ? '' : 's'}${against})\n`);
  return EXIT.ok;
};

async function readLockedTools(file: string): Promise<LockedTools> {
  const lock = await readLock(file);
  if (!lock) throw new GuardError('lock-missing', 'lock file not found', { location: { file }, hint: 'create it with `mcp-guard lock`' });
  return lock;
}
