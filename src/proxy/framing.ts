// Newline-delimited JSON framing on raw bytes (MCP stdio transport).
// Chunks are never decoded on their own: a multi-byte UTF-8 character split across two reads stays intact
// because we only ever cut at 0x0A, which never occurs inside a multi-byte sequence.

/** Well above the SDK's 10 MiB stdio cap so large but legitimate results pass (design §4). */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;

export interface FramerEvents {
  /**
   * One complete line without its terminator (`\n` or `\r\n`), and the same line followed by a single
   * `\n`, ready to forward in one write: a view of the read when the line ended there with a bare LF (the
   * common case, no copy), else a copy. Empty lines are skipped.
   */
  onMessage(line: Buffer, framed: Buffer): void;
  /** A line grew past the cap; its bytes up to the next newline are discarded, later lines still flow. */
  onOversize(bytesSeen: number): void;
}

export class LineFramer {
  private readonly chunks: Buffer[] = [];
  private pendingBytes = 0;
  /** True while discarding the rest of an oversize line. */
  private skipping = false;
  private skippedBytes = 0;

  constructor(
    private readonly events: FramerEvents,
    private readonly maxMessageBytes: number = DEFAULT_MAX_MESSAGE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(LF, start);
      if (newline === -1) {
        this.append(chunk, start, chunk.length);
        return;
      }
      if (this.pendingBytes === 0 && !this.skipping && newline - start <= this.maxMessageBytes) {
        // The whole line is in this read: hand out views, nothing buffered, nothing copied.
        const end = chunk[newline - 1] === CR && newline > start ? newline - 1 : newline;
        if (end > start) {
          const line = chunk.subarray(start, end);
          this.events.onMessage(line, end === newline ? chunk.subarray(start, newline + 1) : frame(line));
        }
      } else if (this.skipping) {
        this.skipping = false;
        this.skippedBytes = 0;
      } else {
        this.append(chunk, start, newline);
        if (!this.skipping) this.emit();
        else {
          this.skipping = false;
          this.skippedBytes = 0;
        }
      }
      start = newline + 1;
    }
  }

  /** Bytes buffered for an incomplete line (for tests and memory accounting). */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  private append(chunk: Buffer, from: number, to: number): void {
    if (to <= from) return;
    if (this.skipping) {
      this.skippedBytes += to - from;
      return;
    }
    const length = to - from;
    if (this.pendingBytes + length > this.maxMessageBytes) {
      const seen = this.pendingBytes + length;
      this.chunks.length = 0;
      this.pendingBytes = 0;
      this.skipping = true;
      this.skippedBytes = seen;
      this.events.onOversize(seen);
      return;
    }
    // A view, not a copy: Node hands out a fresh buffer per read, so the bytes stay valid, and a line
    // inside one chunk (the common case) is emitted without copying at all.
    this.chunks.push(chunk.subarray(from, to));
    this.pendingBytes += length;
  }

  private emit(): void {
    if (this.pendingBytes === 0) {
      this.chunks.length = 0;
      return;
    }
    let line = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.pendingBytes);
    this.chunks.length = 0;
    this.pendingBytes = 0;
    if (line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    if (line.length === 0) return;
    this.events.onMessage(line, frame(line));
  }
}

/** The one write per message: payload and terminator in a single buffer so writers never interleave. */
export function frame(line: Buffer | string): Buffer {
  if (typeof line === 'string') return Buffer.from(`${line}\n`, 'utf8');
  const out = Buffer.allocUnsafe(line.length + 1);
  line.copy(out, 0);
  out[line.length] = LF;
  return out;
}
