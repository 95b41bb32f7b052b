import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, statfs, truncate, unlink } from 'node:fs/promises';
import { type EncodedRows, rowCount } from '../encoded.js';
import {
  type Checkpoint,
  comparePos,
  type Intent,
  type Position,
  rangeToken,
  readCheckpoint,
  syncDir,
  writeCheckpoint,
} from './checkpoint.js';
import { type Decoded, decodeRecord, encodeRecord } from './frame.js';
import { type Entry, listSegments, moveAside, scanSegment, segmentPath } from './segments.js';

/** pino-compatible: the few calls the spool makes. */
export interface SpoolLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SpoolOptions {
  dir: string;
  /** Most bytes of segments on disk; lowered at open to the disk's free space less the reserve. */
  maxBytes: number;
  /** A segment is closed and the next one started past this size. */
  segmentBytes?: number;
  /** Free space left on the disk whatever maxBytes says (the store may share the disk). */
  diskReserveBytes?: number;
  log: SpoolLog;
  now?: () => number;
}

export type AppendResult =
  | { ok: true; position: Position }
  /** Nothing was written: the caller answers "retry later" (the webhook's 503), never success. */
  | { ok: false; reason: 'full'; bytes: number; maxBytes: number };

/** Records read from the front of the log, or the corrupt record found there instead. */
export type FrontRead =
  | { kind: 'rows'; from: Position; to: Position; batches: EncodedRows[]; rows: number }
  | { kind: 'corrupt'; at: Position; file: string; problem: string }
  | { kind: 'empty' };

interface Waiting {
  frame: Buffer;
  rows: number;
  at: number;
  resolve(r: AppendResult): void;
  reject(e: unknown): void;
}

export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
const DEFAULT_RESERVE = 1024 ** 3;

/**
 * The local write-ahead log of `radar serve`: encoded row batches appended durably (fsync; appends
 * waiting while one runs share the next), read from the front by the drainer, which records in
 * the checkpoint what it stores. Single process: the store's data-dir lock keeps a second serve out.
 */
export class Spool {
  private queue: Waiting[] = [];
  private queuedBytes = 0;
  private flushing = false;
  /** Serialises what changes the segment files (writes, rolls, moving one aside). */
  private lock: Promise<unknown> = Promise.resolve();
  private current!: { segment: number; size: number; fh: FileHandle };
  /** Durable records not yet inserted, in log order. */
  private entries: Entry[] = [];
  private sizes = new Map<number, number>();
  private totalBytes = 0;
  private broken: Error | undefined;
  private wakers: (() => void)[] = [];
  private cp: Checkpoint;
  readonly maxBytes: number;
  private readonly segmentBytes: number;
  private readonly now: () => number;
  corruptSegments = 0;
  private fsyncs = 0;

  private constructor(
    private readonly opts: SpoolOptions,
    cp: Checkpoint,
    maxBytes: number,
  ) {
    this.cp = cp;
    this.maxBytes = maxBytes;
    this.segmentBytes = opts.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    this.now = opts.now ?? Date.now;
  }

  /** Opens (or creates) the spool in opts.dir: drops inserted segments, cuts a torn tail. */
  static async open(opts: SpoolOptions): Promise<Spool> {
    const { dir, log } = opts;
    await mkdir(dir, { recursive: true });
    const cp = await readCheckpoint(dir);
    const segs = await listSegments(dir);
    const live: { segment: number; size: number }[] = [];
    for (const s of segs) {
      if (s.segment < cp.done.segment) await unlink(segmentPath(dir, s.segment));
      else live.push(s);
    }
    const entries: Entry[] = [];
    let corrupt = 0;
    const kept: { segment: number; size: number }[] = [];
    for (const [i, s] of live.entries()) {
      const newest = i === live.length - 1;
      const from = s.segment === cp.done.segment ? cp.done.offset : 0;
      const scan = await scanSegment(dir, s.segment, from, s.size);
      if (scan.kind === 'torn' && newest) {
        // The process died mid-append: that record was never acknowledged.
        log.warn(
          { file: segmentPath(dir, s.segment), offset: scan.end, cut: s.size - scan.end },
          'spool: torn tail cut',
        );
        await truncate(segmentPath(dir, s.segment), scan.end);
        s.size = scan.end;
      } else if (scan.kind !== 'ok') {
        // A sealed segment damaged on disk: moved aside whole (its records are lost, reported).
        const offset = scan.kind === 'torn' ? scan.end : scan.at;
        const to = await moveAside(dir, s.segment);
        log.error(
          { file: segmentPath(dir, s.segment), offset, movedTo: to, lostRecords: scan.entries.length },
          'spool: corrupt segment moved aside',
        );
        corrupt++;
        continue;
      }
      entries.push(...scan.entries);
      kept.push(s);
    }
    const used = kept.reduce((n, s) => n + s.size, 0);
    const fs = await statfs(dir);
    const free = Math.max(0, fs.bavail * fs.bsize - (opts.diskReserveBytes ?? DEFAULT_RESERVE));
    const maxBytes = Math.min(opts.maxBytes, used + free);
    if (maxBytes < opts.maxBytes)
      log.warn({ maxBytes, asked: opts.maxBytes, free }, 'spool: cap lowered to the free disk');
    const spool = new Spool(opts, cp, maxBytes);
    spool.corruptSegments = corrupt;
    spool.entries = entries;
    for (const s of kept) spool.sizes.set(s.segment, s.size);
    spool.totalBytes = used;
    const last = kept.at(-1);
    const top = Math.max(cp.done.segment, ...segs.map((s) => s.segment));
    if (last && last.segment === top && last.size < spool.segmentBytes)
      await spool.useSegment(last.segment, last.size);
    else await spool.useSegment(top + 1, 0);
    return spool;
  }

  /** Appends rows durably. Resolves once they are fsynced; `full` writes nothing. */
  append(rows: EncodedRows): Promise<AppendResult> {
    if (this.broken) return Promise.reject(this.broken);
    const frame = encodeRecord(rows, this.now());
    if (this.totalBytes + this.queuedBytes + frame.length > this.maxBytes)
      return Promise.resolve({ ok: false, reason: 'full', bytes: this.totalBytes, maxBytes: this.maxBytes });
    this.queuedBytes += frame.length;
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ frame, rows: rowCount(rows), at: this.now(), resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /** Group commit: everything queued while the previous fsync ran is written and synced at once. */
  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      const bytes = batch.reduce((n, w) => n + w.frame.length, 0);
      try {
        if (this.broken) throw this.broken;
        const positions = await this.exclusive(() => this.writeDurably(batch));
        for (const [i, w] of batch.entries()) w.resolve({ ok: true, position: positions[i]! });
      } catch (e) {
        for (const w of batch) w.reject(e);
      } finally {
        this.queuedBytes -= bytes;
      }
      this.wake();
    }
    this.flushing = false;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private async writeDurably(batch: Waiting[]): Promise<Position[]> {
    const positions: Position[] = [];
    const added: Entry[] = [];
    let pending: Buffer[] = [];
    let start = this.current.size;
    const writeOut = async () => {
      if (pending.length === 0) return;
      try {
        await this.current.fh.writev(pending, start);
        await this.current.fh.sync();
        this.fsyncs++;
      } catch (e) {
        // fsync failed: what the page cache holds is unknown, so nothing more is acknowledged.
        this.broken = e as Error;
        throw e;
      }
      pending = [];
    };
    for (const w of batch) {
      if (this.current.size > 0 && this.current.size + w.frame.length > this.segmentBytes) {
        await writeOut();
        await this.current.fh.close();
        await this.useSegment(this.current.segment + 1, 0);
        start = 0;
      }
      const pos = { segment: this.current.segment, offset: this.current.size };
      positions.push(pos);
      added.push({ ...pos, bytes: w.frame.length, rows: w.rows, appendedAt: w.at });
      pending.push(w.frame);
      this.current.size += w.frame.length;
      this.totalBytes += w.frame.length;
      this.sizes.set(this.current.segment, this.current.size);
    }
    await writeOut();
    this.entries.push(...added);
    return positions;
  }

  private async useSegment(segment: number, size: number): Promise<void> {
    const fh = await open(segmentPath(this.opts.dir, segment), size === 0 ? 'w' : 'r+');
    if (size === 0) await syncDir(this.opts.dir);
    this.current = { segment, size, fh };
    this.sizes.set(segment, size);
  }

  private wake(): void {
    const w = this.wakers.splice(0);
    for (const f of w) f();
  }

  /** Resolves at the next durable append or after ms, whichever comes first. */
  waitForAppend(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wakers.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Wakes a waitForAppend now (a stop). */
  interrupt(): void {
    this.wake();
  }

  checkpoint(): Checkpoint {
    return this.cp;
  }

  /** The dedup token of an insert of the records `range` holds. */
  token(range: Intent): string {
    return rangeToken(this.cp.id, range);
  }

  /** Durable records not yet inserted. */
  pending(): { records: number; rows: number; bytes: number; oldestAt: number | undefined } {
    let rows = 0;
    let bytes = 0;
    for (const e of this.entries) {
      rows += e.rows;
      bytes += e.bytes;
    }
    return { records: this.entries.length, rows, bytes, oldestAt: this.entries[0]?.appendedAt };
  }

  stats(): {
    bytes: number;
    maxBytes: number;
    corruptSegments: number;
    fsyncs: number;
    broken: string | undefined;
  } {
    return {
      fsyncs: this.fsyncs,
      bytes: this.totalBytes,
      maxBytes: this.maxBytes,
      corruptSegments: this.corruptSegments,
      broken: this.broken?.message,
    };
  }

  /**
   * Records from the front of the log: up to maxRows (at least one record), or exactly up to `to`
   * (an intent replayed). A corrupt first record is returned as such; a corrupt later one ends
   * the read before it, so the range before it is inserted first.
   */
  async readFront(limit: { maxRows: number } | { to: Position }): Promise<FrontRead> {
    const take: Entry[] = [];
    let rows = 0;
    for (const e of this.entries) {
      if ('to' in limit) {
        if (comparePos(e, limit.to) >= 0) break;
      } else if (take.length > 0 && rows + e.rows > limit.maxRows) break;
      take.push(e);
      rows += e.rows;
    }
    if (take.length === 0) return { kind: 'empty' };
    const batches: EncodedRows[] = [];
    let i = 0;
    while (i < take.length) {
      // One read per run of records in the same segment.
      let j = i;
      while (j + 1 < take.length && take[j + 1]!.segment === take[i]!.segment) j++;
      const first = take[i]!;
      const last = take[j]!;
      const buf = await this.readSpan(first.segment, first.offset, last.offset + last.bytes - first.offset);
      for (let k = i; k <= j; k++) {
        const e = take[k]!;
        const d: Decoded = decodeRecord(
          buf.subarray(e.offset - first.offset, e.offset - first.offset + e.bytes),
        );
        if (!d.ok) {
          if (batches.length > 0) return this.rowsUpTo(batches, e);
          return { kind: 'corrupt', at: e, file: segmentPath(this.opts.dir, e.segment), problem: d.problem };
        }
        batches.push(d.rows);
      }
      i = j + 1;
    }
    const end = take.at(-1)!;
    return this.rowsUpTo(batches, { segment: end.segment, offset: end.offset + end.bytes });
  }

  private rowsUpTo(batches: EncodedRows[], to: Position): FrontRead {
    return {
      kind: 'rows',
      from: this.cp.done,
      to: { segment: to.segment, offset: to.offset },
      batches,
      rows: batches.reduce((n, b) => n + rowCount(b), 0),
    };
  }

  /** Visits every pending record's rows, one record at a time (bounded memory); corrupt ones skipped. */
  async forEachPending(visit: (rows: EncodedRows) => void): Promise<void> {
    for (const e of [...this.entries]) {
      const d = decodeRecord(await this.readSpan(e.segment, e.offset, e.bytes));
      if (d.ok) visit(d.rows);
    }
  }

  /** `bytes` bytes of a segment from `offset` (records the index says are whole there). */
  private async readSpan(segment: number, offset: number, bytes: number): Promise<Buffer> {
    const buf = Buffer.allocUnsafeSlow(bytes);
    const fh = await open(segmentPath(this.opts.dir, segment), 'r');
    try {
      await fh.read(buf, 0, bytes, offset);
    } finally {
      await fh.close();
    }
    return buf;
  }

  /** Records the insert about to run: after a crash the same range is inserted again. */
  async beginInsert(intent: Intent): Promise<void> {
    this.cp = { id: this.cp.id, done: this.cp.done, intent };
    await writeCheckpoint(this.opts.dir, this.cp);
  }

  /** Everything before `done` is stored: checkpointed, then segments wholly before it deleted. */
  async commit(done: Position): Promise<void> {
    this.cp = { id: this.cp.id, done };
    await writeCheckpoint(this.opts.dir, this.cp);
    let k = 0;
    while (k < this.entries.length && comparePos(this.entries[k]!, done) < 0) k++;
    this.entries.splice(0, k);
    for (const [segment, size] of [...this.sizes]) {
      const below = segment < done.segment || (segment === done.segment && done.offset >= size);
      if (!below || segment === this.current.segment) continue;
      await unlink(segmentPath(this.opts.dir, segment));
      this.sizes.delete(segment);
      this.totalBytes -= size;
    }
  }

  /**
   * The corrupt record at the front: its segment goes to corrupt/ (with every record left in it)
   * and reading goes on at the next segment. Appends go to a new segment if it was the current one.
   */
  async dropCorrupt(at: Position): Promise<{ movedTo: string; lostRecords: number }> {
    const { movedTo, lost } = await this.exclusive(async () => {
      if (at.segment === this.current.segment) {
        await this.current.fh.close();
        await this.useSegment(at.segment + 1, 0);
      }
      const lost = this.entries.filter((e) => e.segment === at.segment).length;
      const movedTo = await moveAside(this.opts.dir, at.segment);
      this.totalBytes -= this.sizes.get(at.segment) ?? 0;
      this.sizes.delete(at.segment);
      this.entries = this.entries.filter((e) => e.segment !== at.segment);
      this.corruptSegments++;
      return { movedTo, lost };
    });
    await this.commit({ segment: at.segment + 1, offset: 0 });
    return { movedTo, lostRecords: lost };
  }

  /** Waits for appends in flight, then closes the current segment. */
  async close(): Promise<void> {
    while (this.flushing) await this.waitForAppend(50);
    this.broken ??= new Error('spool closed');
    await this.exclusive(() => this.current.fh.close());
  }
}
