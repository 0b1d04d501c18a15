// The words around an approval: what the user reads on the proxy's stderr while a call waits, and what
// the model reads when a call did not run. The model's text never carries the request id (the id is
// for the user's terminal) nor any server-chosen text.

import { escapeForDisplay } from '../findings/escape.js';
import { redact } from '../findings/redact.js';
import type { ApprovalOutcome, ApprovalRequest } from './store.js';

/** One stderr line for the user when a request is filed. */
export function pendingNotice(request: ApprovalRequest): string {
  const seconds = Math.round((Date.parse(request.expiresAt) - Date.parse(request.createdAt)) / 1000);
  const tool = escapeForDisplay(redact(request.tool));
  const server = escapeForDisplay(redact(request.server));
  return `mcp-guard: "${tool}" on server "${server}" needs your approval within ${seconds}s: run \`mcp-guard approvals\` in another terminal, then \`mcp-guard approve ${request.id}\` or \`mcp-guard deny ${request.id}\`\n`;
}

/** The reason in the isError result the model sees when an approval-gated call did not run. */
export function refusalForModel(outcome: Exclude<ApprovalOutcome, 'approved'>): string {
  switch (outcome) {
    case 'denied':
      return 'The user denied this tool call (mcp-guard approval). Do not retry it unless the user asks you to.';
    case 'timeout':
      return 'This tool call needs the user\'s approval and nobody approved it in time, so mcp-guard refused it. Tell the user; if they want it, retry the call and they approve it from their terminal with `mcp-guard approvals`.';
    case 'withdrawn':
      return 'This tool call was cancelled while it waited for the user\'s approval, so it did not run.';
  }
}
