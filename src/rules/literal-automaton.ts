// Which of a fixed list of strings occur in a text, found in ONE pass (Aho–Corasick). The phrase patterns
// need a few thousand required literals between them; one `includes()` per literal per string cost more than
// the regexes they were meant to spare. Matching is on UTF-16 code units, exactly like String#includes.

export class LiteralAutomaton {
  readonly size: number;
  /** Code unit → column; 0 for units no literal contains (they always lead back to the root). */
  private readonly column: Uint16Array;
  private readonly width: number;
  /** next state = delta[state * width + column] (a complete DFA: failure links are folded in). */
  private readonly delta: Int32Array;
  /** Literal ids ending at each state, including those reached through failure links; null when none. */
  private readonly outputs: (Int32Array | null)[];

  constructor(literals: readonly string[]) {
    this.size = literals.length;
    const units = new Set<number>();
    for (const literal of literals) for (let i = 0; i < literal.length; i++) units.add(literal.charCodeAt(i));
    this.column = new Uint16Array(0x10000);
    let width = 1;
    for (const unit of [...units].sort((a, b) => a - b)) this.column[unit] = width++;
    this.width = width;

    // The trie, with its transitions in a growable array.
    const goto: number[] = [];
    const own: number[][] = [[]];
    goto.length = width;
    goto.fill(-1);
    let states = 1;
    literals.forEach((literal, id) => {
      let state = 0;
      for (let i = 0; i < literal.length; i++) {
        const slot = state * width + this.column[literal.charCodeAt(i)]!;
        let next = goto[slot]!;
        if (next === -1) {
          next = states++;
          goto[slot] = next;
          for (let c = 0; c < width; c++) goto.push(-1);
          own.push([]);
        }
        state = next;
      }
      own[state]!.push(id);
    });

    // Breadth first: a state's failure target is shallower, so its row and outputs are final already.
    const delta = new Int32Array(states * width);
    const fail = new Int32Array(states);
    const merged: number[][] = own.map((ids) => [...ids]);
    const queue: number[] = [];
    for (let c = 0; c < width; c++) {
      const next = goto[c]!;
      if (next === -1) delta[c] = 0;
      else {
        delta[c] = next;
        fail[next] = 0;
        queue.push(next);
      }
    }
    delta[0] = 0;
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const failState = fail[state]!;
      if (merged[failState]!.length > 0) merged[state] = [...merged[state]!, ...merged[failState]!];
      for (let c = 0; c < width; c++) {
        const next = goto[state * width + c]!;
        if (next === -1) delta[state * width + c] = delta[failState * width + c]!;
        else {
          delta[state * width + c] = next;
          fail[next] = delta[failState * width + c]!;
          queue.push(next);
        }
      }
      // Column 0 (a unit in no literal) always restarts at the root.
      delta[state * width] = 0;
    }
    this.delta = delta;
    this.outputs = merged.map((ids) => (ids.length > 0 ? Int32Array.from(ids) : null));
    this.seenIn = new Uint32Array(literals.length);
    this.foundIds = new Int32Array(literals.length);
  }

  /** Per literal, the number of the last scan that found it: no array to clear or allocate per text. */
  private readonly seenIn: Uint32Array;
  private generation = 0;
  /** Ids found by the latest scan, each once, in order of first occurrence: foundIds[0 .. scan()). */
  readonly foundIds: Int32Array;

  /** Searches `text`; returns how many distinct literals occur, their ids being foundIds[0 .. n). */
  scan(text: string): number {
    if (this.generation === 0xffffffff) {
      // Stamps are 32-bit: start over before they wrap and an old stamp could pass for a new one.
      this.seenIn.fill(0);
      this.generation = 0;
    }
    const generation = ++this.generation;
    const { column, width, delta, outputs, seenIn, foundIds } = this;
    let count = 0;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      state = delta[state * width + column[text.charCodeAt(i)]!]!;
      const ids = outputs[state];
      if (!ids) continue;
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k]!;
        if (seenIn[id] !== generation) {
          seenIn[id] = generation;
          foundIds[count++] = id;
        }
      }
    }
    return count;
  }

  /** Which literals occur in `text`, as 0/1 per literal id. */
  presence(text: string): Uint8Array {
    const present = new Uint8Array(this.size);
    const count = this.scan(text);
    for (let i = 0; i < count; i++) present[this.foundIds[i]!] = 1;
    return present;
  }
}
