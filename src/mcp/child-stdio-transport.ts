// Our own SDK Transport over a child's stdio. The SDK's StdioClientTransport strips the environment,
// cannot kill a process group and fails on the first non-JSON stdout line; real servers print banners
// and log lines to stdout, so we skip and count those instead (facts.md).
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { ServerProcess } from './child-process.js';
import { LineSplitter, type LineEvent } from './line-splitter.js';

/** Far above the SDK's 10 MiB so a large but honest listing still loads. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const NOISE_SAMPLE_LIMIT = 3;
const NOISE_SAMPLE_CHARS = 120;

export class MessageTooLargeError extends Error {
  constructor(readonly bytes: number, readonly limit: number) {
    super(`server sent a ${bytes}-byte message, over the ${limit}-byte limit`);
    this.name = 'MessageTooLargeError';
  }
}

export class ChildStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;

  /** Non-empty stdout lines that were not JSON-RPC messages. */
  noiseLineCount = 0;
  /** The first few such lines, truncated, for the note we attach to the snapshot. */
  readonly noiseSamples: string[] = [];
  /** Set when the server broke framing in a way listing cannot recover from. */
  fatalError: Error | undefined;

  private closed = false;
  private readonly splitter: LineSplitter;

  constructor(
    private readonly child: ServerProcess,
    private readonly maxMessageBytes: number = DEFAULT_MAX_MESSAGE_BYTES,
  ) {
    this.splitter = new LineSplitter(maxMessageBytes, (event) => this.handleLine(event));
  }

  async start(): Promise<void> {
    this.child.stdout.on('data', (chunk: Buffer) => this.splitter.push(chunk));
    this.child.stdout.on('error', (error: Error) => this.onerror?.(error));
    // Close on end of stdout, not on exit: the last messages may still be buffered when the child exits,
    // and behind an `npx`-style wrapper the real server keeps talking after the wrapper is gone.
    this.child.stdout.on('close', () => {
      this.splitter.end();
      this.markClosed();
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return Promise.reject(new Error('server process is closed'));
    return new Promise((resolve, reject) => {
      // One write per message keeps a message contiguous even if another write follows.
      this.child.stdin.write(`${JSON.stringify(message)}\n`, (error) => (error ? reject(error) : resolve()));
    });
  }

  async close(): Promise<void> {
    await this.child.shutdown();
    this.markClosed();
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }

  private handleLine(event: LineEvent): void {
    if (event.kind === 'oversize') {
      this.fatalError = new MessageTooLargeError(event.bytes, this.maxMessageBytes);
      this.onerror?.(this.fatalError);
      return;
    }
    const text = event.text;
    if (text.trim().length === 0) return;
    const messages = parseMessages(text);
    if (messages === undefined) {
      this.noiseLineCount++;
      if (this.noiseSamples.length < NOISE_SAMPLE_LIMIT) this.noiseSamples.push(text.slice(0, NOISE_SAMPLE_CHARS));
      return;
    }
    for (const message of messages) this.onmessage?.(message);
  }
}

/**
 * JSON-RPC 2.0 objects, or a batch of them (allowed by the 2025-03-26 revision); anything else on
 * stdout is noise, not a protocol error.
 */
function parseMessages(text: string): JSONRPCMessage[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const candidates = Array.isArray(value) ? value : [value];
  if (candidates.length === 0 || !candidates.every(isJsonRpcObject)) return undefined;
  // The SDK's Protocol classifies and validates each message itself; we hand it the objects as sent.
  return candidates as JSONRPCMessage[];
}

function isJsonRpcObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as { jsonrpc?: unknown }).jsonrpc === '2.0';
}
