// Every client discovery knows, in the order their files are reported.

import type { ClientId } from '../model.js';
import { amazonQ } from './amazon-q.js';
import { claudeCode } from './claude-code.js';
import { claudeDesktop } from './claude-desktop.js';
import { cline } from './cline.js';
import { codex } from './codex.js';
import { copilotCli } from './copilot-cli.js';
import { cursor } from './cursor.js';
import { geminiCli } from './gemini-cli.js';
import { generic } from './generic.js';
import { kiro } from './kiro.js';
import { opencode } from './opencode.js';
import type { ClientDefinition } from './types.js';
import { vscode } from './vscode.js';
import { windsurf } from './windsurf.js';
import { zed } from './zed.js';

export const CLIENTS: readonly ClientDefinition[] = [
  claudeDesktop,
  claudeCode,
  cursor,
  vscode,
  copilotCli,
  windsurf,
  geminiCli,
  codex,
  kiro,
  amazonQ,
  opencode,
  zed,
  cline,
];

const BY_ID = new Map<ClientId, ClientDefinition>([...CLIENTS, generic].map((client) => [client.id, client]));

export function clientById(id: ClientId): ClientDefinition {
  const client = BY_ID.get(id);
  if (!client) throw new Error(`unknown client id ${id}`);
  return client;
}
