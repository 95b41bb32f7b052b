import { ItemSplitter, type SplitItem } from './items.js';
import type { RejectReason } from './result.js';

export interface AuditRecord {
  /** Raw bytes of one line or document item (UTF-8 is checked by decodeMessage); absent if rejected. */
  data?: Buffer;
  /** file:line (and the item's path inside a long line), for error messages and the summary. */
  where: string;
  /** Refused while reading (over the per-event limit, a broken list): never decoded. */
  rejected?: { reason: RejectReason; detail: string };
}

/**
 * JSON lines, fed chunk by chunk. A line is kept up to the per-event limit; past it, a line that
 * starts like a list (a one-line EventList) is split item by item as it streams, anything else
 * is skipped unread and reported as too-large. Work is linear in the input and memory is bounded
 * by one event, however long a line is.
 */
export class LineReader {
  private lineNo = 0;
  private parts: Buffer[] = [];
  private size = 0;
  private skipping = false;
  private splitter: ItemSplitter | undefined;
  private items: SplitItem[] = [];

  constructor(
    private readonly source: string,
    private readonly maxBytes: number,
  ) {}

  /** Lines completed so far. */
  get line(): number {
    return this.lineNo;
  }

  /** Records completed by this chunk, in order. */
  write(chunk: Buffer, out: AuditRecord[]): void {
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(10, pos);
      this.feed(chunk.subarray(pos, nl === -1 ? chunk.length : nl), out);
      if (nl === -1) return;
      this.endLine(out);
      pos = nl + 1;
    }
  }

  /** The last line, if the input does not end with a newline. */
  end(out: AuditRecord[]): void {
    if (this.size > 0 || this.splitter) this.endLine(out);
  }

  private feed(piece: Buffer, out: AuditRecord[]): void {
    if (piece.length === 0) return;
    this.size += piece.length;
    if (this.splitter) this.split([piece], out);
    if (this.splitter || this.skipping) return;
    if (this.size <= this.maxBytes) {
      this.parts.push(piece);
      return;
    }
    const head = [...this.parts, piece];
    this.parts = [];
    if (startsLikeList(head)) {
      this.splitter = new ItemSplitter(this.maxBytes, (item) => this.items.push(item), true);
      this.split(head, out);
    } else this.skipping = true;
  }

  private split(pieces: Buffer[], out: AuditRecord[]): void {
    const sp = this.splitter!;
    for (const p of pieces) sp.write(p);
    this.flushItems(out);
    if (sp.error?.notList) {
      this.splitter = undefined;
      this.skipping = true;
    }
  }

  private flushItems(out: AuditRecord[]): void {
    const at = `${this.source}:${this.lineNo + 1}`;
    for (const item of this.items) {
      const where = item.path ? `${at} ${item.path}` : at;
      if (item.data) out.push({ data: item.data, where });
      else out.push({ where, rejected: tooLarge(item.end - item.start, this.maxBytes) });
    }
    this.items = [];
  }

  private endLine(out: AuditRecord[]): void {
    this.lineNo++;
    const where = `${this.source}:${this.lineNo}`;
    const sp = this.splitter;
    if (sp) {
      sp.end();
      this.flushItems(out);
      const err = sp.error;
      if (err && !err.notList) {
        const at = err.path ? `${err.path}: ` : '';
        out.push({
          where,
          rejected: { reason: 'invalid-json', detail: `${at}${err.message.slice(0, 200)}` },
        });
      }
      if (err?.notList) out.push({ where, rejected: tooLarge(this.size, this.maxBytes) });
    } else if (this.skipping) out.push({ where, rejected: tooLarge(this.size, this.maxBytes) });
    else {
      let line = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
      if (line.length > 0 && line[line.length - 1] === 13) line = line.subarray(0, line.length - 1);
      if (!isBlank(line)) out.push({ data: line, where });
    }
    this.parts = [];
    this.size = 0;
    this.skipping = false;
    this.splitter = undefined;
  }
}

export const tooLarge = (size: number, max: number) => ({
  reason: 'too-large' as const,
  detail: `${size} bytes > limit ${max} (skipped unread)`,
});

function startsLikeList(parts: Buffer[]): boolean {
  for (const p of parts)
    for (const b of p) {
      if (b === 0x20 || b === 0x09 || b === 0x0d) continue;
      return b === 0x5b || b === 0x7b;
    }
  return false;
}

function isBlank(b: Buffer): boolean {
  for (const c of b) if (c !== 32 && c !== 9 && c !== 13) return false;
  return true;
}
