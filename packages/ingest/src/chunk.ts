import type { InputMessage } from './pipeline.js';

/**
 * A file chunk's lines, packed as a decode thread takes them: the bytes one after another in a
 * buffer of its own (transferable) and where each line ends. Line i is bytes[ends[i-1]..ends[i]).
 */
export interface PackedLines {
  bytes: Buffer;
  ends: Uint32Array;
}

/** First capacity of a chunk with no chunk before it to size it; grows by doubling. */
const FIRST_BYTES = 1 << 20;
const FIRST_LINES = 1024;
/** Buffers kept for reuse: as many as chunks can be decoding at once (file.ts AHEAD + 1). */
const MAX_SPARES = 3;

/**
 * Collects a chunk's lines as they are read, copied into one buffer: one copy per line (the
 * copy a decode thread's batch needed anyway), no object per line, and the read buffers die
 * young. Measured against an array of line buffers and a pack at flush: docs/performance.md.
 * Each chunk starts at the size the last one ended at, so a steady file never regrows.
 */
export class ChunkBuilder {
  private bytes: Buffer;
  private ends: Uint32Array;
  private at = 0;
  private n = 0;
  private readonly spares: ArrayBuffer[] = [];

  constructor() {
    this.bytes = Buffer.allocUnsafeSlow(FIRST_BYTES);
    this.ends = new Uint32Array(FIRST_LINES);
  }

  get lines(): number {
    return this.n;
  }

  get size(): number {
    return this.at;
  }

  push(line: Buffer): void {
    if (this.at + line.length > this.bytes.length)
      this.bytes = grown(this.bytes, this.at, this.at + line.length);
    if (this.n === this.ends.length) {
      const ends = new Uint32Array(this.ends.length * 2);
      ends.set(this.ends);
      this.ends = ends;
    }
    this.bytes.set(line, this.at);
    this.at += line.length;
    this.ends[this.n++] = this.at;
  }

  /** The chunk so far (views of buffers no one else holds); the builder starts a new one. */
  take(): PackedLines {
    const out = { bytes: this.bytes.subarray(0, this.at), ends: this.ends.subarray(0, this.n) };
    // The next chunk is most likely the size of this one (an eighth more for a longer line).
    const want = Math.max(FIRST_BYTES, this.at + (this.at >> 3));
    const spare = this.spares.pop();
    this.bytes = spare && spare.byteLength >= want ? Buffer.from(spare) : Buffer.allocUnsafeSlow(want);
    this.ends = new Uint32Array(Math.max(FIRST_LINES, this.n));
    this.at = 0;
    this.n = 0;
    return out;
  }

  /**
   * A taken chunk's buffer, back from its decode thread once decoded: the next chunk reuses it
   * (no new mapping to fault in, and no thread holding dead chunks until its next collection).
   */
  recycle(buffer: ArrayBuffer): void {
    if (this.spares.length < MAX_SPARES) this.spares.push(buffer);
  }
}

function grown(b: Buffer, used: number, need: number): Buffer {
  let size = b.length * 2;
  while (size < need) size *= 2;
  const next = Buffer.allocUnsafeSlow(size);
  b.copy(next, 0, 0, used);
  return next;
}

/**
 * The packed lines as messages, for decoding (here or in a decode thread): each a view of the
 * bytes; offset from `offsets` (Kafka), else the line's index in its chunk.
 */
export function messagesOf(p: PackedLines, partition = 0, offsets?: Float64Array): InputMessage[] {
  const out: InputMessage[] = new Array(p.ends.length);
  let start = 0;
  for (let i = 0; i < p.ends.length; i++) {
    out[i] = { value: p.bytes.subarray(start, p.ends[i]), partition, offset: offsets ? offsets[i]! : i };
    start = p.ends[i]!;
  }
  return out;
}
