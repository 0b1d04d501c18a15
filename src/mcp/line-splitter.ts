// MCP stdio framing is one JSON message per `\n`-terminated line. We split on bytes, never on decoded
// chunks (a chunk boundary can fall inside a UTF-8 sequence), and bound how much one line may buffer so a
// server that never writes a newline cannot exhaust memory.

export type LineEvent =
  | { kind: 'line'; text: string }
  /** A line longer than the cap; its bytes were discarded up to the next newline. */
  | { kind: 'oversize'; bytes: number };

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** Bytes dropped from the current oversize line; -1 when not discarding. */
  private discarded = -1;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onEvent: (event: LineEvent) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      this.append(chunk.subarray(start, end));
      if (newline === -1) return;
      this.finishLine();
      start = newline + 1;
    }
  }

  /** Flush a final unterminated line when the stream ends. */
  end(): void {
    if (this.pendingLength > 0 || this.discarded > 0) this.finishLine();
  }

  private append(part: Buffer): void {
    if (part.length === 0) return;
    if (this.discarded >= 0) {
      this.discarded += part.length;
      return;
    }
    if (this.pendingLength + part.length > this.maxLineBytes) {
      this.discarded = this.pendingLength + part.length;
      this.pending = [];
      this.pendingLength = 0;
      return;
    }
    // Copy: the stream may reuse the chunk's memory.
    this.pending.push(Buffer.from(part));
    this.pendingLength += part.length;
  }

  private finishLine(): void {
    if (this.discarded >= 0) {
      const bytes = this.discarded;
      this.discarded = -1;
      this.onEvent({ kind: 'oversize', bytes });
      return;
    }
    let line = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending, this.pendingLength);
    this.pending = [];
    this.pendingLength = 0;
    if (line.length > 0 && line[line.length - 1] === CARRIAGE_RETURN) line = line.subarray(0, line.length - 1);
    this.onEvent({ kind: 'line', text: line.toString('utf8') });
  }
}
