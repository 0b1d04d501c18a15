// The approval question the proxy puts to the user through MCP elicitation, and how it reads the
// answer. Everything in the message is text a server or a model chose (tool name, arguments) or a
// policy wrote: it is redacted, escaped and bounded before the client renders it.

import { previewArguments } from '../approvals/arguments-preview.js';
import { escapeForDisplay } from '../findings/escape.js';
import { redact } from '../findings/redact.js';

export const CONFIRM_FIELD = 'approve';
const MAX_NAME = 200;
const MAX_REASON = 500;

export interface ApprovalQuestion {
  server: string;
  tool: string;
  arguments: unknown;
  reason: string;
}

/** The params of an `elicitation/create` request (form mode, one required boolean). */
export function elicitationParams(question: ApprovalQuestion, timeoutMs: number): Record<string, unknown> {
  const seconds = Math.max(1, Math.round(timeoutMs / 1000));
  const message =
    `mcp-guard: approve this tool call?\n` +
    `Server: ${safe(question.server, MAX_NAME)}\n` +
    `Tool: ${safe(question.tool, MAX_NAME)}\n` +
    `Arguments: ${escapeForDisplay(previewArguments(question.arguments))}\n` +
    `Why it needs approval: ${safe(question.reason, MAX_REASON)}\n` +
    `The call runs only if you approve within ${seconds}s.`;
  // `mode` is left out: 2025-06-18 clients do not know it, and a missing mode means "form".
  return {
    message,
    requestedSchema: {
      type: 'object',
      properties: {
        [CONFIRM_FIELD]: {
          type: 'boolean',
          title: 'Run this call',
          description: 'Check to let this one call run with exactly these arguments.',
          default: false,
        },
      },
      required: [CONFIRM_FIELD],
    },
  };
}

export type ElicitationAnswer = 'approved' | 'declined' | 'cancelled' | 'not-confirmed' | 'error';

/** Only an explicit `accept` with the box checked (boolean true, not "true") approves. */
export function readElicitationAnswer(response: Record<string, unknown>): ElicitationAnswer {
  if ('error' in response) return 'error';
  const result = response['result'];
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return 'error';
  const { action, content } = result as Record<string, unknown>;
  if (action === 'decline') return 'declined';
  if (action === 'cancel') return 'cancelled';
  if (action !== 'accept') return 'error';
  const confirmed = content !== null && typeof content === 'object' && (content as Record<string, unknown>)[CONFIRM_FIELD] === true;
  return confirmed ? 'approved' : 'not-confirmed';
}

/** The reason the model reads when an elicited approval did not come through. */
export function elicitationRefusal(answer: Exclude<ElicitationAnswer, 'approved'> | 'timeout'): string {
  switch (answer) {
    case 'declined':
    case 'not-confirmed':
      return 'The user did not approve this tool call (mcp-guard approval). Do not retry it unless the user asks you to.';
    case 'cancelled':
      return 'The user dismissed the approval request for this tool call, so mcp-guard did not run it.';
    case 'timeout':
      return 'This tool call needs the user\'s approval and nobody answered in time, so mcp-guard refused it. Tell the user; if they want it, retry the call and approve it when asked.';
    case 'error':
      return 'The client could not ask the user to approve this tool call, so mcp-guard refused it.';
  }
}

function safe(text: string, max: number): string {
  const points = Array.from(redact(text));
  const cut = points.length > max ? `${points.slice(0, max).join('')}…` : points.join('');
  return escapeForDisplay(cut);
}

/** Whether declared client capabilities include form elicitation (an empty object means form). */
export function supportsFormElicitation(capabilities: unknown): boolean {
  if (capabilities === null || typeof capabilities !== 'object') return false;
  const elicitation = (capabilities as Record<string, unknown>)['elicitation'];
  if (elicitation === null || typeof elicitation !== 'object' || Array.isArray(elicitation)) return false;
  const modes = elicitation as Record<string, unknown>;
  return !('form' in modes) && !('url' in modes) ? true : 'form' in modes;
}
