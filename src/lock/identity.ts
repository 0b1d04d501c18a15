import { REDACTED, redact, redactArgs } from '../findings/redact.js';
import type { ServerEntry, Transport } from '../model.js';

// How a server was launched, kept in the lock as evidence for reviewers. The lock is committed to
// repositories, so nothing here may carry a secret (design §3): env and headers keep their names only,
// arguments and URLs go through redaction.

export interface LockedIdentity {
  transport: Transport;
  command?: string;
  args?: string[];
  cwd?: string;
  url?: string;
  /** Names only, sorted: values are secrets as often as not. */
  envNames?: string[];
  /** Names only, sorted. */
  headerNames?: string[];
}

/** Query parameter names whose values are credentials in practice (OAuth, signed URLs, API gateways). */
const CREDENTIAL_PARAM =
  /(?:token|secret|passw|pwd|api[_-]?key|apikey|^key$|auth|credential|signature|^sig$|session|^code$|jwt|bearer|private|access[_-]?key)/i;

/**
 * A long opaque path segment (hosted MCP gateways put the API key in the path, e.g.
 * `/mcp/<key>/sse`). Letters and digits mixed, 24+ characters: identifiers of that shape are
 * redacted too, because losing evidence costs less than leaking a key into a repository.
 */
const OPAQUE_SEGMENT = /^(?=[A-Za-z0-9._~-]*[0-9])(?=[A-Za-z0-9._~-]*[A-Za-z])[A-Za-z0-9._~-]{24,}$/;

export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return redact(raw);
  }
  // A bare `https://TOKEN@host` carries the secret in the user name, so both parts go.
  if (url.username) url.username = REDACTED;
  if (url.password) url.password = REDACTED;
  url.pathname = url.pathname
    .split('/')
    .map((segment) => (OPAQUE_SEGMENT.test(decodeSafely(segment)) ? REDACTED : segment))
    .join('/');
  const params = [...url.searchParams.entries()];
  if (params.length > 0) {
    const redacted = new URLSearchParams();
    for (const [name, value] of params) {
      const isSecret = CREDENTIAL_PARAM.test(name) || redact(value) !== value || OPAQUE_SEGMENT.test(value);
      redacted.append(name, isSecret ? REDACTED : value);
    }
    url.search = redacted.toString();
  }
  if (url.hash) url.hash = redact(url.hash);
  // URL setters percent-encode the marker; show it as everywhere else. Then the last layer:
  // registered secrets and token shapes anywhere in what is left.
  return redact(url.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED));
}

function decodeSafely(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function looksLikeUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]{0,20}:\/\//i.test(text);
}

function sortedNames(record: Record<string, string> | undefined): string[] | undefined {
  if (!record) return undefined;
  const names = Object.keys(record);
  return names.length > 0 ? names.sort() : undefined;
}

export function lockedIdentity(entry: ServerEntry): LockedIdentity {
  const identity: LockedIdentity = { transport: entry.transport };
  if (entry.command !== undefined) {
    // Cursor sometimes keeps a whole command line in `command`, flags and tokens included.
    identity.command = redactArgs(entry.command.split(' ')).join(' ');
  }
  if (entry.args !== undefined) {
    identity.args = redactArgs(entry.args).map((arg) => (looksLikeUrl(arg) ? redactUrl(arg) : redactEmbeddedUrl(arg)));
  }
  if (entry.cwd !== undefined) identity.cwd = redact(entry.cwd);
  if (entry.url !== undefined) identity.url = redactUrl(entry.url);
  const envNames = sortedNames(entry.env);
  if (envNames) identity.envNames = envNames;
  const headerNames = sortedNames(entry.headers);
  if (headerNames) identity.headerNames = headerNames;
  return identity;
}

/** `--url=https://…` style arguments: redact the URL part with the same rules. */
function redactEmbeddedUrl(arg: string): string {
  const match = /^(--?[A-Za-z0-9_-]{1,60}=)([a-z][a-z0-9+.-]{0,20}:\/\/.*)$/i.exec(arg);
  return match ? match[1]! + redactUrl(match[2]!) : arg;
}
