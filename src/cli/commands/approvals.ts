// mcp-guard approvals [--json] · mcp-guard approve ID · mcp-guard deny ID
//   0 listed / decided · 2 usage, or an id that is not pending (unknown, expired, withdrawn, decided)
// Everything shown here was written by a proxy from text a server or a model chose (tool names,
// arguments, reasons), so every field is redacted and escaped before it reaches the terminal.

import { parseArgs } from 'node:util';
import { ApprovalStore, type ApprovalDecision, type ApprovalRequest } from '../../approvals/store.js';
import { GuardError } from '../../errors.js';
import { escapeForDisplay } from '../../findings/escape.js';
import { redact } from '../../findings/redact.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo, Command } from '../io.js';

export const APPROVALS_JSON_VERSION = 1;

const LIST_USAGE = 'usage: mcp-guard approvals [--json]';

export const approvalsCommand: Command = async (args: string[], io: CliIo): Promise<number> => {
  const parsed = parse(args, LIST_USAGE, true);
  if (parsed.values['help']) {
    io.stdout.write(`${LIST_USAGE}\n`);
    return EXIT.ok;
  }
  if (parsed.positionals.length > 0) throw new GuardError('usage', LIST_USAGE);
  const requests = await new ApprovalStore({ env: io.env }).list();
  const now = Date.now();
  if (parsed.values['json']) {
    const body = {
      version: APPROVALS_JSON_VERSION,
      requests: requests.map((request) => ({
        id: request.id,
        server: safe(request.server),
        tool: safe(request.tool),
        arguments: safe(request.argumentsPreview),
        reason: safe(request.reason),
        argumentsHash: safe(request.argumentsHash),
        lockDigest: safe(request.lockDigest),
        createdAt: safe(request.createdAt),
        expiresAt: safe(request.expiresAt),
        secondsLeft: Math.max(0, Math.floor((Date.parse(request.expiresAt) - now) / 1000)),
      })),
    };
    io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return EXIT.ok;
  }
  if (requests.length === 0) {
    io.stdout.write('no pending approval requests\n');
    return EXIT.ok;
  }
  io.stdout.write(`${requests.length} pending approval request${requests.length === 1 ? '' : 's'}:\n`);
  for (const request of requests) io.stdout.write(describeRequest(request, now));
  return EXIT.ok;
};

export const approveCommand: Command = (args, io) => decideCommand('approve', args, io);
export const denyCommand: Command = (args, io) => decideCommand('deny', args, io);

async function decideCommand(decision: ApprovalDecision, args: string[], io: CliIo): Promise<number> {
  const usage = `usage: mcp-guard ${decision} ID`;
  const parsed = parse(args, usage, false);
  if (parsed.values['help']) {
    io.stdout.write(`${usage}\n`);
    return EXIT.ok;
  }
  const [id, ...extra] = parsed.positionals;
  if (id === undefined || extra.length > 0) throw new GuardError('usage', usage);
  const request = await new ApprovalStore({ env: io.env }).decide(id, decision);
  const what = `${quoted(request.tool)} on server ${quoted(request.server)}`;
  io.stdout.write(
    decision === 'approve'
      ? `approved ${request.id}: ${what} runs once, with exactly the arguments shown\n`
      : `denied ${request.id}: ${what} is refused\n`,
  );
  return EXIT.ok;
}

function describeRequest(request: ApprovalRequest, now: number): string {
  const left = Math.max(0, Date.parse(request.expiresAt) - now);
  return [
    `\n  ${request.id}  ${quoted(request.tool)} on server ${quoted(request.server)}  (${formatDuration(left)} left)`,
    `    arguments: ${safe(request.argumentsPreview)}`,
    `    reason:    ${safe(request.reason)}`,
    `    approve:   mcp-guard approve ${request.id}    deny: mcp-guard deny ${request.id}`,
    '',
  ].join('\n');
}

function safe(text: string): string {
  return escapeForDisplay(redact(text));
}

function quoted(text: string): string {
  return `"${safe(text).replace(/"/g, '\\"')}"`;
}

function formatDuration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

function parse(args: string[], usage: string, allowJson: boolean) {
  try {
    return parseArgs({
      args,
      options: { help: { type: 'boolean', short: 'h' }, ...(allowJson ? { json: { type: 'boolean' } } : {}) } as {
        help: { type: 'boolean'; short: 'h' };
        json: { type: 'boolean' };
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new GuardError('usage', `${redact((error as Error).message)}\n${usage}`);
  }
}
