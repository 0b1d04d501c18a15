// Runs one approvals command in its own process, exactly as main.ts would: the real command, the real
// error mapper, the real exit code.
import { approvalsCommand, approveCommand, denyCommand } from '../../../src/cli/commands/approvals.js';
import type { CliIo, Command } from '../../../src/cli/io.js';
import { reportError } from '../../../src/cli/main.js';

const commands: Record<string, Command> = { approvals: approvalsCommand, approve: approveCommand, deny: denyCommand };
const [name = '', ...args] = process.argv.slice(2);
const io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
const command = commands[name];
if (!command) {
  process.stderr.write(`unknown command ${name}\n`);
  process.exitCode = 64;
} else {
  try {
    process.exitCode = await command(args, io);
  } catch (error) {
    process.exitCode = reportError(error, io);
  }
}
