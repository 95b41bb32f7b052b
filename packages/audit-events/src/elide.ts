/**
 * Content bytes of one JSON string that the tokenizer is shown. The splitter needs string values
 * only for short keys and `kind`; the tokenizer gathers every string whole before it emits it,
 * so one huge string inside an item of a pretty-printed document held the whole string in memory
 * (400 MB string: 1.2 GB RSS). Cut strings keep their own bytes in the item: only the tokenizer's
 * copy is shortened.
 */
export const SEEN_STRING_BYTES = 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const U = 0x75;

/**
 * The tokenizer's copy of a stream: non-ASCII and control bytes (other than whitespace) become
 * "_" (the structure is ASCII, so an item with invalid UTF-8 or a raw control character is left to
 * its own decode), and each string's content past `limit` bytes is left out, never inside an
 * escape. `real()` maps the copy's offsets back to the stream's.
 */
export class StringElider {
  private inString = false;
  /** 1 right after a backslash; hex digits of a \u escape still to come. */
  private esc = 0;
  private hex = 0;
  private run = 0;
  private dropping = false;
  private outPos = 0;
  private dropped = 0;
  /** Flattened (copy offset, bytes dropped before it) pairs, one per cut, in order. */
  private marks: number[] = [];
  /** Index of the mark in force for the last offset asked; -2 before the first. */
  private at = -2;

  constructor(private readonly limit = SEEN_STRING_BYTES) {}

  feed(chunk: Buffer): Buffer {
    const out = Buffer.allocUnsafe(chunk.length);
    let o = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (this.dropping) {
        i = this.skip(chunk, i, this.outPos + o);
        if (i === chunk.length) break;
      }
      const b = chunk[i]!;
      if (!this.inString) {
        out[o++] = b >= 0x80 || (b < 0x20 && b !== 10 && b !== 13 && b !== 9) ? 0x5f : b;
        if (b === QUOTE) {
          this.inString = true;
          this.run = 0;
        }
        continue;
      }
      if (this.esc === 1) {
        this.esc = 0;
        if (b === U) this.hex = 4;
      } else if (this.hex > 0) this.hex--;
      else if (b === BACKSLASH) this.esc = 1;
      else if (b === QUOTE) {
        this.inString = false;
        out[o++] = b;
        continue;
      }
      out[o++] = b >= 0x80 || b < 0x20 ? 0x5f : b;
      if (++this.run >= this.limit && this.esc === 0 && this.hex === 0) this.dropping = true;
    }
    this.outPos += o;
    return out.subarray(0, o);
  }

  /**
   * Drops a cut string's content from `i` up to its closing quote (or the chunk's end); returns
   * the index of that quote. Every dropped byte sits before the same copy offset `at`.
   */
  private skip(chunk: Buffer, i: number, at: number): number {
    let j = i;
    let esc = this.esc;
    let hex = this.hex;
    for (; j < chunk.length; j++) {
      const b = chunk[j]!;
      if (esc === 1) {
        esc = 0;
        if (b === U) hex = 4;
      } else if (hex > 0) hex--;
      else if (b === BACKSLASH) esc = 1;
      else if (b === QUOTE) break;
    }
    this.esc = esc;
    this.hex = hex;
    if (j < chunk.length) this.dropping = false;
    if (j > i) {
      const m = this.marks;
      if (m.length === 0 || m[m.length - 2] !== at) m.push(at, 0);
      this.dropped += j - i;
      m[m.length - 1] = this.dropped;
    }
    return j;
  }

  /** Where an offset of the copy is in the stream. Asked in order: tokens come in order. */
  real(offset: number): number {
    const m = this.marks;
    while (this.at + 2 < m.length && m[this.at + 2]! <= offset) this.at += 2;
    if (this.at > 4096) {
      // Marks behind us are never asked again: keep the array short on a document of many cuts.
      m.splice(0, this.at);
      this.at = 0;
    }
    return offset + (this.at >= 0 ? m[this.at + 1]! : 0);
  }
}
