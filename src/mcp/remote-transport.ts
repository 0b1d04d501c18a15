// Remote servers: streamable HTTP first, legacy SSE when the server refuses the streamable POST with a
// 4xx (the fallback the MCP spec describes for backwards compatibility). A 401/403 is never a reason to
// fall back: it means we lack credentials, which the scan must report as "could not list".
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { SSEClientTransport, SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

export type RemoteKind = 'streamable-http' | 'sse';

export function createRemoteTransport(kind: RemoteKind, rawUrl: URL, rawHeaders: Record<string, string> | undefined): Transport {
  const { url, headers } = moveUserinfoToHeader(rawUrl, rawHeaders);
  const requestInit: RequestInit = headers ? { headers: { ...headers } } : {};
  if (kind === 'streamable-http') return new StreamableHTTPClientTransport(url, { requestInit });
  // SSEClientTransport adds requestInit headers to both the EventSource GET and the message POSTs.
  return new SSEClientTransport(url, { requestInit });
}

/** The HTTP status behind a transport error, when there is one. */
export function httpStatusOf(error: unknown): number | undefined {
  if (error instanceof StreamableHTTPError || error instanceof SseError) {
    return typeof error.code === 'number' && error.code > 0 ? error.code : undefined;
  }
  if (error instanceof Error) {
    const match = /\bHTTP (\d{3})\b/.exec(error.message);
    if (match) return Number(match[1]);
  }
  return undefined;
}

export function isAuthError(error: unknown): boolean {
  if (error instanceof UnauthorizedError) return true;
  const status = httpStatusOf(error);
  return status === 401 || status === 403;
}

/** A streamable-HTTP failure that means "this endpoint may speak the older SSE transport instead". */
export function shouldFallBackToSse(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status !== undefined && status >= 400 && status < 500 && status !== 401 && status !== 403;
}

/**
 * fetch() refuses URLs with `user:password@`, but configs carry them; send them as HTTP Basic auth the
 * way curl does, unless the entry already sets an Authorization header.
 */
export function moveUserinfoToHeader(
  url: URL,
  headers: Record<string, string> | undefined,
): { url: URL; headers: Record<string, string> | undefined } {
  if (!url.username && !url.password) return { url, headers };
  const bare = new URL(url.href);
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  bare.username = '';
  bare.password = '';
  const hasAuthorization = Object.keys(headers ?? {}).some((name) => name.toLowerCase() === 'authorization');
  if (hasAuthorization) return { url: bare, headers };
  return { url: bare, headers: { ...headers, Authorization: `Basic ${Buffer.from(credentials).toString('base64')}` } };
}
