// mcp-guard audit verify [FILE] [--no-anchor]
//   0 intact · 1 edited, deleted, reordered or truncated (first bad record named) · 2 usage/config

import { realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readAnchor } from '../../audit/anchor.js';
import { readAuditKey } from '../../audit/audit-key.js';
import { defaultAuditLogPath, stateDirectory } from '../../audit/state-dir.js';
import { verifyAuditLog } from '../../audit/verify.js';
import { GuardError } from '../../errors.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo, Command } from '../io.js';

const USAGE = 'usage: mcp-guard audit verify [FILE] [--no-anchor]';

export const auditCommand: Command = async (args: string[], io: CliIo): Promise<number> => {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { 'no-anchor': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new GuardError('usage', `${(error as Error).message}\n${USAGE}`);
  }
  if (parsed.values.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const [subcommand, fileArg, ...extra] = parsed.positionals;
  if (subcommand !== 'verify' || extra.length > 0) throw new GuardError('usage', USAGE);

  const stateDir = stateDirectory(io.env, io.env['HOME'] ?? homedir());
  const file = fileArg === undefined ? defaultAuditLogPath(stateDir) : resolve(io.cwd, fileArg);
  try {
    await stat(file);
  } catch (error) {
    throw new GuardError('config-unreadable', 'no such audit log', { location: { file }, cause: error });
  }
  const key = await readAuditKey(stateDir);
  const skipAnchor = parsed.values['no-anchor'] === true;
  // With the key: a proxy may be rewriting the anchor while we read it.
  const anchor = skipAnchor ? null : await readAnchor(stateDir, await realpath(file), key);
  const result = await verifyAuditLog(file, key, anchor);
  if (!result.ok) {
    const { line, seq, problem } = result.firstBad;
    io.stderr.write(`mcp-guard: ${file}:${line}: record seq ${seq}: ${problem}\n`);
    return EXIT.findings;
  }
  if (!skipAnchor && anchor === undefined && result.records > 0) {
    io.stderr.write(
      `mcp-guard: ${file}: the chain is intact (${result.records} records) but there is no head anchor for this log in ${stateDir}, so truncation cannot be ruled out (use --no-anchor to check the chain alone)\n`,
    );
    return EXIT.findings;
  }
  const note = skipAnchor ? ' (chain only: truncation not checked)' : '';
  io.stdout.write(`${fileArg ?? file}: intact, ${result.records} record${result.records === 1 ? '' : 's'}${note}\n`);
  return EXIT.ok;
};
