// The 2026-07-28 protocol revision over the lister's own transports. That revision has no `initialize`:
// the client asks `server/discover` for what the server offers, and every request carries the protocol
// version and the client's capabilities in `params._meta` (facts.md). The v2 client SDK is a dev
// dependency only, so the lister keeps its v1 Client as the JSON-RPC request/response engine and this
// module supplies the era: an envelope on every outgoing request, and the raw discover result.
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import { McpError, type JSONRPCMessage, type MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import type { JsonObject } from '../model.js';
import { isJsonObject } from './wire-tap.js';

export const REVISION_2026 = '2026-07-28';

/** Same prefix and keys as the proxy's 2026-era traffic (src/proxy/relay.ts, PROTOCOL_META_PREFIX). */
export const PROTOCOL_VERSION_META_KEY = 'io.modelcontextprotocol/protocolVersion';
export const CLIENT_CAPABILITIES_META_KEY = 'io.modelcontextprotocol/clientCapabilities';
export const CLIENT_INFO_META_KEY = 'io.modelcontextprotocol/clientInfo';
/** Where the v2 server SDK (2.4) puts serverInfo: in every result's `_meta`, not in the discover body. */
export const SERVER_INFO_META_KEY = 'io.modelcontextprotocol/serverInfo';

/** The revision's UnsupportedProtocolVersion error; its data lists `supported` and echoes `requested`. */
export const UNSUPPORTED_PROTOCOL_VERSION = -32022;

/**
 * Whether an error answer to our 2025-era `initialize` means "I speak only a newer revision, and it is
 * one we can speak": the v2 server SDK answers -32022 with `data.supported`. A refusal whose supported
 * list leaves out 2026-07-28 is not worth a second start, nor is any other error.
 */
export function refusesLegacyInitialize(error: unknown): boolean {
  if (!(error instanceof McpError)) return false;
  const saysUnsupported =
    error.code === UNSUPPORTED_PROTOCOL_VERSION || /unsupported protocol version|protocol version[^.]*not supported/i.test(error.message);
  if (!saysUnsupported) return false;
  const supported = supportedVersionsOf(error.data);
  return supported === undefined || supported.includes(REVISION_2026);
}

/** The versions an UnsupportedProtocolVersion error says the server speaks, when it says. */
export function supportedVersionsOf(data: unknown): string[] | undefined {
  if (!isJsonObject(data)) return undefined;
  const supported = data['supported'];
  if (!Array.isArray(supported) || !supported.every((version) => typeof version === 'string')) return undefined;
  return supported as string[];
}

/** What the lister needs from a `server/discover` result, read from the raw wire object. */
export interface Discovery {
  supportedVersions: string[];
  serverInfo: JsonObject;
  serverCapabilities: JsonObject;
  instructions?: string;
}

/** Undefined when the result is not a discover result at all (no supportedVersions array). */
export function readDiscovery(result: JsonObject): Discovery | undefined {
  const versions = result['supportedVersions'];
  if (!Array.isArray(versions)) return undefined;
  const meta = result['_meta'];
  const metaInfo = isJsonObject(meta) ? meta[SERVER_INFO_META_KEY] : undefined;
  // The revision's discover body may name serverInfo itself; SDK 2.4 sends it in `_meta` only.
  const serverInfo = isJsonObject(result['serverInfo']) ? result['serverInfo'] : isJsonObject(metaInfo) ? metaInfo : {};
  const discovery: Discovery = {
    supportedVersions: versions.filter((version): version is string => typeof version === 'string'),
    serverInfo,
    serverCapabilities: isJsonObject(result['capabilities']) ? result['capabilities'] : {},
  };
  if (typeof result['instructions'] === 'string') discovery.instructions = result['instructions'];
  return discovery;
}

/**
 * Sits between the v1 Client and a transport. It stamps the 2026-07-28 envelope into every request's
 * `params._meta` and keeps the `server/discover` result exactly as received (the Client's parse would
 * hand back a copy that its schema may have trimmed).
 *
 * Its `sessionId` is set on purpose: the v1 Client skips its `initialize` handshake when connecting to a
 * transport that already has a session (its reconnect path), which is exactly a 2026-era opening.
 */
export class Revision2026Transport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;

  /** The server/discover result exactly as received. */
  discoverResult: JsonObject | undefined;

  readonly sessionId = `mcp-guard-${REVISION_2026}`;
  private readonly envelope: JsonObject;
  private discoverId: string | number | undefined;

  constructor(
    readonly inner: Transport,
    clientCapabilities: JsonObject,
    clientInfo: JsonObject,
  ) {
    this.envelope = {
      [PROTOCOL_VERSION_META_KEY]: REVISION_2026,
      [CLIENT_CAPABILITIES_META_KEY]: clientCapabilities,
      [CLIENT_INFO_META_KEY]: clientInfo,
    };
  }

  async start(): Promise<void> {
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (error) => this.onerror?.(error);
    this.inner.onmessage = (message, extra) => {
      if ('id' in message && message.id === this.discoverId && 'result' in message && isJsonObject(message.result)) {
        this.discoverResult = message.result;
      }
      this.onmessage?.(message, extra);
    };
    await this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (!('method' in message && 'id' in message)) return this.inner.send(message, options);
    if (message.method === 'server/discover') this.discoverId = message.id;
    const params: Record<string, unknown> = isJsonObject(message.params) ? { ...message.params } : {};
    const meta = isJsonObject(params['_meta']) ? params['_meta'] : {};
    params['_meta'] = { ...meta, ...this.envelope };
    return this.inner.send({ ...message, params }, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
