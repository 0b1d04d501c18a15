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

    // The trie, in one preallocated table (-1: no edge yet); it becomes the DFA in place below.
    let capacity = 1;
    for (const literal of literals) capacity += literal.length;
    const delta = new Int32Array(capacity * width).fill(-1);
    const own: number[][] = [[]];
    let states = 1;
    literals.forEach((literal, id) => {
      let state = 0;
      for (let i = 0; i < literal.length; i++) {
        const slot = state * width + this.column[literal.charCodeAt(i)]!;
        let next = delta[slot]!;
        if (next === -1) {
          next = states++;
          delta[slot] = next;
          own.push([]);
        }
        state = next;
      }
      own[state]!.push(id);
    });

    // Breadth first: a state's failure target is shallower, so its row and outputs are final already.
    const fail = new Int32Array(states);
    const merged: number[][] = own;
    const queue: number[] = [];
    for (let c = 0; c < width; c++) {
      const next = delta[c]!;
      if (next <= 0) delta[c] = 0;
      else queue.push(next);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const failState = fail[state]!;
      if (merged[failState]!.length > 0) merged[state] = [...merged[state]!, ...merged[failState]!];
      const row = state * width;
      const failRow = failState * width;
      for (let c = 0; c < width; c++) {
        const next = delta[row + c]!;
        if (next === -1) delta[row + c] = delta[failRow + c]!;
        else {
          fail[next] = delta[failRow + c]!;
          queue.push(next);
        }
      }
    }
    this.delta = delta.slice(0, states * width);
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
