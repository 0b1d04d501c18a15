// The SDK Client parses the initialize result with strict schemas (unknown capability keys and
// serverInfo fields are dropped), and lock digests must cover what the server actually sent. This
// wrapper sits between the Client and any transport and keeps the raw wire objects we need.
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import type { JsonObject } from '../model.js';

export type ListKind = 'tools' | 'prompts' | 'resources';

const LIST_CHANGED: Record<string, ListKind> = {
  'notifications/tools/list_changed': 'tools',
  'notifications/prompts/list_changed': 'prompts',
  'notifications/resources/list_changed': 'resources',
};

export class WireTap implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;

  /** The initialize result exactly as received. */
  initializeResult: JsonObject | undefined;
  /** Count of list_changed notifications per kind, so listing can tell a list moved under it. */
  readonly listChanged: Record<ListKind, number> = { tools: 0, prompts: 0, resources: 0 };

  private initializeId: string | number | undefined;

  constructor(readonly inner: Transport) {}

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  async start(): Promise<void> {
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (error) => this.onerror?.(error);
    this.inner.onmessage = (message, extra) => {
      this.observe(message);
      this.onmessage?.(message, extra);
    };
    await this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if ('method' in message && message.method === 'initialize' && 'id' in message) this.initializeId = message.id;
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  private observe(message: JSONRPCMessage): void {
    if ('method' in message) {
      const kind = LIST_CHANGED[message.method];
      if (kind && !('id' in message)) this.listChanged[kind]++;
      return;
    }
    if ('id' in message && message.id === this.initializeId && 'result' in message && isJsonObject(message.result)) {
      this.initializeResult = message.result;
    }
  }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
