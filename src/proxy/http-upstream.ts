// A remote MCP server (streamable HTTP, falling back to legacy SSE) served to the client over stdio.
// Unlike the stdio path this one goes through the SDK's client transports: HTTP framing, sessions and
// SSE resumption are theirs to get right. The cost is the SDK's message validation, which drops
// messages its schemas reject (see design §4); byte fidelity is a property of the stdio path only.

import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { redact } from '../findings/redact.js';
import type { Upstream, UpstreamHandlers } from './child.js';

export interface HttpUpstreamOptions {
  headers: Record<string, string>;
  log(message: string): void;
}

export class HttpUpstream implements Upstream {
  private transport: Transport | undefined;
  private kind: 'streamable-http' | 'sse' = 'streamable-http';
  /** Sends are chained so messages reach the server in the order the client wrote them. */
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private exited = false;

  constructor(
    private readonly url: URL,
    private readonly handlers: UpstreamHandlers,
    private readonly options: HttpUpstreamOptions,
  ) {}

  send(framed: Buffer): boolean {
    // The relay batches the messages of one read into one write: a buffer holds one or more lines.
    let start = 0;
    for (let end = framed.indexOf(0x0a); end !== -1; start = end + 1, end = framed.indexOf(0x0a, start)) {
      let message: JSONRPCMessage;
      try {
        message = JSON.parse(framed.subarray(start, end).toString('utf8')) as JSONRPCMessage;
      } catch {
        continue; // the relay only forwards lines it parsed
      }
      this.chain = this.chain.then(() => this.deliver(message));
    }
    return true;
  }

  onceDrain(callback: () => void): void {
    callback();
  }

  pause(): void {}
  resume(): void {}

  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    void this.chain
      .then(() => this.transport?.close())
      .catch(() => undefined)
      .finally(() => this.exit(0));
  }

  signal(signal: NodeJS.Signals): void {
    void signal;
    this.shutdown();
  }

  private async deliver(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return;
    try {
      const transport = this.transport ?? (await this.open(this.kind));
      await transport.send(message);
    } catch (error) {
      // A server that only speaks the 2024-11-05 SSE transport answers the first POST with 4xx.
      if (this.kind === 'streamable-http' && isFallbackStatus(error) && isInitialize(message)) {
        this.options.log('mcp-guard proxy: streamable HTTP refused, trying the legacy SSE transport');
        await this.transport?.close().catch(() => undefined);
        this.transport = undefined;
        this.kind = 'sse';
        return this.deliver(message);
      }
      this.fail(message, error);
    }
  }

  private async open(kind: 'streamable-http' | 'sse'): Promise<Transport> {
    const requestInit = { headers: this.options.headers };
    const transport: Transport =
      kind === 'sse'
        ? new SSEClientTransport(this.url, { requestInit, eventSourceInit: { fetch: (input, init) => fetch(input, { ...init, headers: { ...this.options.headers, ...(init?.headers as Record<string, string>) } }) } })
        : new StreamableHTTPClientTransport(this.url, { requestInit });
    transport.onmessage = (message) => {
      const result = (message as { result?: { protocolVersion?: unknown; serverInfo?: unknown } }).result;
      // The SDK Client normally does this after initialize; later requests need the version header.
      if (result && typeof result.protocolVersion === 'string' && result.serverInfo !== undefined) {
        transport.setProtocolVersion?.(result.protocolVersion);
      }
      this.handlers.onMessage(Buffer.from(JSON.stringify(message), 'utf8'));
    };
    transport.onerror = (error) => {
      // Closing aborts the standalone SSE stream; that is not worth a line on stderr.
      if (!this.closed) this.options.log(`mcp-guard proxy: upstream ${kind} error: ${error.message}`);
    };
    await transport.start();
    this.transport = transport;
    return transport;
  }

  /** A request the server could not take gets an error answer, so the client never waits forever. */
  private fail(message: JSONRPCMessage, error: unknown): void {
    // The server's own error text can echo what it was sent (a key from the URL, a header): the client
    // shows this answer to the model, so it is redacted like everything the proxy logs.
    const detail = redact(error instanceof Error ? error.message : String(error));
    this.options.log(`mcp-guard proxy: could not deliver a message to ${this.url.origin}: ${detail}`);
    if ('method' in message && 'id' in message) {
      const status = error instanceof StreamableHTTPError ? error.code : undefined;
      const text =
        status === 401 || status === 403
          ? `mcp-guard: the server at ${this.url.origin} requires authorization (HTTP ${status}); pass it with --header-env`
          : `mcp-guard: the server at ${this.url.origin} could not be reached: ${detail}`;
      this.handlers.onMessage(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: message.id, error: { code: -32000, message: text } }), 'utf8'));
    }
  }

  private exit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.handlers.onExit({ exitCode: code, code, signal: null });
  }
}

function isFallbackStatus(error: unknown): boolean {
  return error instanceof StreamableHTTPError && error.code !== undefined && [400, 404, 405].includes(error.code);
}

function isInitialize(message: JSONRPCMessage): boolean {
  return 'method' in message && message.method === 'initialize';
}
