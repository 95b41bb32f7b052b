import { type EncodedRows, pickRows, rowCount, rowsWhere } from './encoded.js';

/**
 * Requests this worker stored recently, with their stage. Catches duplicates that arrive close
 * together (a webhook POST retried and produced twice, a collector re-sending) without a query.
 *
 * Two generations of open-addressing tables in typed arrays: O(1) per row, at most 2 x capacity
 * requests, and nothing for the garbage collector to trace (a Map of 400,000 ID strings cost
 * 5% of ingest throughput in collections). A request is its audit ID's two 32-bit hashes plus
 * a hash of its receive time (stored as hash x 4 + stage rank): another request would have to
 * match 96 hash bits to be taken for a duplicate. A reused ID (collectors that anonymise IDs) with
 * another receive time is not a duplicate.
 */
export class RecentRequests {
  private current: Table;
  private previous: Table;

  constructor(private readonly capacity: number) {
    this.current = new Table(capacity);
    this.previous = new Table(capacity);
  }

  /** Rows not already stored at the same or a later stage, and how many were dropped. */
  filter(rows: EncodedRows): { fresh: EncodedRows; duplicates: number } {
    if (this.capacity === 0 || (this.current.size === 0 && this.previous.size === 0)) {
      return { fresh: rows, duplicates: 0 };
    }
    const keep = rowsWhere(rows, (i) => !this.seen(rows.ids[i]!, stamp(rows, i)));
    return { fresh: pickRows(rows, keep), duplicates: rowCount(rows) - keep.length };
  }

  /**
   * filter + remember in one pass, for a caller that stores what passes before anything else
   * is admitted (the worker's decode step; the memory is cleared when partitions move).
   */
  admit(rows: EncodedRows): { fresh: EncodedRows; duplicates: number } {
    if (this.capacity === 0) return { fresh: rows, duplicates: 0 };
    const keep = rowsWhere(rows, (i) => {
      const id = rows.ids[i]!;
      const value = stamp(rows, i);
      if (this.seen(id, value)) return false;
      this.set(id, value);
      return true;
    });
    return { fresh: pickRows(rows, keep), duplicates: rowCount(rows) - keep.length };
  }

  remember(rows: EncodedRows): void {
    if (this.capacity === 0) return;
    for (let i = 0; i < rowCount(rows); i++) this.set(rows.ids[i]!, stamp(rows, i));
  }

  clear(): void {
    this.current.clear();
    this.previous.clear();
  }

  /** Stored before at the same receive time and the same or a later stage. */
  private seen(id: string, value: number): boolean {
    const h1 = hash(id, 0x811c9dc5, 0x01000193);
    const h2 = (hash(id, 0x9747b28c, 0x9e3779b1) | 1) >>> 0;
    const old = this.current.get(h1, h2) ?? this.previous.get(h1, h2);
    return old !== undefined && Math.floor(old / 4) === Math.floor(value / 4) && old % 4 >= value % 4;
  }

  private set(id: string, value: number): void {
    if (this.current.size >= this.capacity) {
      const emptied = this.previous;
      emptied.clear();
      this.previous = this.current;
      this.current = emptied;
    }
    this.current.put(hash(id, 0x811c9dc5, 0x01000193), (hash(id, 0x9747b28c, 0x9e3779b1) | 1) >>> 0, value);
  }
}

/** Receive time and stage in one number: the time's hash x 4 + rank (below 2^34, exact). */
const stamp = (rows: EncodedRows, i: number): number =>
  hash(rows.ts[i]!, 0x811c9dc5, 0x01000193) * 4 + rows.ranks[i]!;

/** FNV-1a-style over the UTF-16 units; another seed and multiplier give a second, unrelated hash. */
function hash(s: string, seed: number, mult: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, mult);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** Linear probing over typed arrays, at most half full; h2 is never 0, so 0 marks a free slot. */
class Table {
  private readonly mask: number;
  private readonly h1: Uint32Array;
  private readonly h2: Uint32Array;
  private readonly values: Float64Array;
  size = 0;

  constructor(capacity: number) {
    let slots = 2;
    while (slots < capacity * 2) slots *= 2;
    this.mask = slots - 1;
    this.h1 = new Uint32Array(capacity > 0 ? slots : 0);
    this.h2 = new Uint32Array(capacity > 0 ? slots : 0);
    this.values = new Float64Array(capacity > 0 ? slots : 0);
  }

  get(h1: number, h2: number): number | undefined {
    if (this.size === 0) return undefined;
    for (let i = h1 & this.mask; ; i = (i + 1) & this.mask) {
      if (this.h2[i] === 0) return undefined;
      if (this.h1[i] === h1 && this.h2[i] === h2) return this.values[i];
    }
  }

  put(h1: number, h2: number, value: number): void {
    for (let i = h1 & this.mask; ; i = (i + 1) & this.mask) {
      if (this.h2[i] === 0) {
        this.h1[i] = h1;
        this.h2[i] = h2;
        this.values[i] = value;
        this.size++;
        return;
      }
      if (this.h1[i] === h1 && this.h2[i] === h2) {
        this.values[i] = value;
        return;
      }
    }
  }

  clear(): void {
    if (this.size === 0) return;
    this.h2.fill(0);
    this.size = 0;
  }
}
