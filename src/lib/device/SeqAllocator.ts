/**
 * Request sequence numbers: 1..65535, wrapping, never 0 (0 marks unsolicited replies, PROTOCOL.md).
 * A number still awaiting its reply is skipped so a late reply can never be matched to a new request.
 */
export const MAX_SEQ = 0xffff;

export class SeqAllocator {
  #next: number;

  constructor(first = 1) {
    if (!Number.isInteger(first) || first < 1 || first > MAX_SEQ) throw new RangeError(`first seq: expected 1–${MAX_SEQ}, got ${first}`);
    this.#next = first;
  }

  next(inUse: (seq: number) => boolean = () => false): number {
    for (let i = 0; i < MAX_SEQ; i++) {
      const seq = this.#next;
      this.#next = seq === MAX_SEQ ? 1 : seq + 1;
      if (!inUse(seq)) return seq;
    }
    throw new RangeError(`no free sequence number: all ${MAX_SEQ} are awaiting replies`);
  }
}
