// Which process is the MCP client, and does a process descend from it? An agent's shell tool (Claude
// Code's Bash, Codex, Gemini CLI) runs commands as children of the client, so an `approve` whose
// ancestry contains the client was most likely typed by the model, not by the user in another
// terminal. This is a tripwire for the obvious route, not a boundary: see docs/approvals.md.

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** argv[0] and the arguments, as far as the platform tells. */
  command: string[];
}

const MAX_DEPTH = 64;

/** The chain of parents above pid, nearest first, ending before pid 0/1 or when the platform cannot tell. */
export async function ancestorsOf(pid: number): Promise<ProcessInfo[]> {
  const chain: ProcessInfo[] = [];
  let current = await processInfo(pid);
  while (current && current.ppid > 1 && chain.length < MAX_DEPTH) {
    const parent = await processInfo(current.ppid);
    if (!parent) break;
    chain.push(parent);
    current = parent;
  }
  return chain;
}

/**
 * The MCP client that started this proxy: the nearest ancestor that is not a launcher (a shell, npm,
 * npx, uv, pipx, env, cmd). Undefined when the parent cannot be inspected.
 */
export async function findClientProcess(pid: number = process.pid): Promise<ProcessInfo | undefined> {
  for (const ancestor of await ancestorsOf(pid)) {
    if (!isLauncher(ancestor.command)) return ancestor;
  }
  return undefined;
}

export async function descendsFrom(pid: number, ancestorPid: number): Promise<boolean> {
  return (await ancestorsOf(pid)).some((ancestor) => ancestor.pid === ancestorPid);
}

const LAUNCHERS = new Set(['sh', 'bash', 'dash', 'zsh', 'fish', 'ksh', 'env', 'npm', 'npx', 'pnpm', 'yarn', 'bunx', 'uv', 'uvx', 'pipx', 'cmd', 'cmd.exe', 'mcp-guard']);

export function isLauncher(command: readonly string[]): boolean {
  const program = basename(command[0] ?? '').replace(/^-/, '');
  if (LAUNCHERS.has(program)) return true;
  // npm and npx are node scripts: `node …/npm-cli.js exec`, `node …/npx-cli.js`.
  if (/^node(?:js)?(?:\.exe)?$/.test(program)) {
    const script = basename(command[1] ?? '');
    return /^(?:npm|npx|pnpm|yarn|mcp-guard)(?:-cli)?(?:\.c?js)?$/.test(script) || script === 'mcp-guard.js';
  }
  return false;
}

async function processInfo(pid: number): Promise<ProcessInfo | undefined> {
  if (process.platform === 'linux') return linuxProcessInfo(pid);
  if (process.platform === 'win32') return undefined;
  return psProcessInfo(pid);
}

async function linuxProcessInfo(pid: number): Promise<ProcessInfo | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself contain ") ", so parse after the last one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const command = cmdline.split('\0').filter((part) => part.length > 0);
    return Number.isInteger(ppid) ? { pid, ppid, command } : undefined;
  } catch {
    return undefined;
  }
}

function psProcessInfo(pid: number): Promise<ProcessInfo | undefined> {
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'ppid=,command=', '-p', String(pid)], { timeout: 2_000 }, (error, stdout) => {
      const match = /^\s*(\d+)\s+(.*)$/.exec(stdout.trim());
      if (error || !match) return resolve(undefined);
      resolve({ pid, ppid: Number(match[1]), command: match[2]!.split(/\s+/) });
    });
  });
}
