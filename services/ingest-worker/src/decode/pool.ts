import { Worker } from 'node:worker_threads';
import type { PackedLines } from '@radar/ingest';
import type { DecodedBatch, DecodeRequest, Decoder, DecoderConfig } from './decoder.js';
import { type DecodeReply, owned, type PackedBatch, pack } from './protocol.js';

interface Pending {
  resolve(o: DecodedBatch): void;
  reject(e: Error): void;
  returned?: (bytes: ArrayBuffer) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  dead: boolean;
}

// Threads do not inherit the parent's module hooks: from source a boot file registers tsx, built
// (dist/*.js) one adds the radar-dist export condition, then each loads the thread module.
const BOOT = new URL(
  import.meta.url.endsWith('.ts') ? './thread-boot.mjs' : './thread-boot-dist.mjs',
  import.meta.url,
);
const YOUNG_GENERATION_MB = 128;
const MAX_FAILURES_IN_A_ROW = 3;

/**
 * Decode threads. JSON parsing, validation, tagging and row encoding take most of the worker's
 * CPU; on the event loop they also stalled fetching and the inserts' hand-off (measured:
 * docs/performance.md). Here the event loop only packs each batch (one copy), and gets encoded
 * rows back by transfer. A thread that dies fails its batches (the consumer retries them, nothing
 * is committed) and is replaced.
 */
export class DecodePool implements Decoder {
  private readonly slots: Slot[] = [];
  private seq = 0;
  private closed = false;
  /** Threads that died in a row without decoding anything: a thread that cannot start. */
  private failuresInARow = 0;

  constructor(
    private readonly cfg: DecoderConfig,
    threads: number,
    /** fatal: threads keep dying before decoding anything; the pool stopped replacing them. */
    private readonly onThreadError: (err: Error, fatal: boolean) => void = () => {},
    /** The thread's entry point (tests start broken ones). */
    private readonly entry: URL = BOOT,
  ) {
    if (threads < 1) throw new Error(`DecodePool needs at least one thread, got ${threads}`);
    for (let i = 0; i < threads; i++) this.slots.push(this.spawn());
  }

  readonly decode = (req: DecodeRequest): Promise<DecodedBatch> => {
    const batch = pack(this.seq++, req.topic, req.partition, req.messages);
    if (req.source !== undefined) batch.source = req.source;
    if (req.apiserver !== undefined) batch.apiserver = req.apiserver;
    if (req.apiservers) {
      // The caller's index is moved to the thread, not copied (it is not read after decoding).
      batch.apiservers = { table: req.apiservers.table, of: owned(req.apiservers.of) };
    }
    return this.send(batch);
  };

  /**
   * Lines packed already (a file chunk: ChunkBuilder), moved to the thread as they are: no
   * copy, and nothing per line on the event loop. Rejected lines come back by index.
   */
  readonly decodePacked = (
    req: Omit<DecodeRequest, 'messages' | 'apiservers'> &
      PackedLines & {
        /** Gets the bytes' buffer back once decoded (or failed), for reuse. */
        returned?: (bytes: ArrayBuffer) => void;
      },
  ) => {
    const batch: PackedBatch = {
      id: this.seq++,
      topic: req.topic,
      partition: req.partition,
      bytes: req.bytes,
      ends: req.ends,
    };
    if (req.source !== undefined) batch.source = req.source;
    if (req.apiserver !== undefined) batch.apiserver = req.apiserver;
    if (req.returned) batch.returnBytes = true;
    return this.send(batch, req.returned);
  };

  private send(batch: PackedBatch, returned?: (bytes: ArrayBuffer) => void): Promise<DecodedBatch> {
    if (this.closed) return Promise.reject(new Error('decode pool is closed'));
    // A partition always goes to the same thread: its batches are decoded (and deduplicated) in order.
    const slot = this.slots[batch.partition % this.slots.length]!;
    const transfer = [batch.bytes.buffer as ArrayBuffer, batch.ends.buffer as ArrayBuffer];
    if (batch.offsets) transfer.push(batch.offsets.buffer as ArrayBuffer);
    if (batch.apiservers) transfer.push(batch.apiservers.of.buffer as ArrayBuffer);
    return new Promise<DecodedBatch>((resolve, reject) => {
      slot.pending.set(batch.id, { resolve, reject, ...(returned && { returned }) });
      slot.worker.postMessage(batch, transfer);
    });
  }

  readonly reset = (): void => {
    for (const s of this.slots) s.worker.postMessage({ reset: true });
  };

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(this.entry, {
      workerData: this.cfg,
      // A batch's parsed events and encoded lines are short-lived but numerous: a young
      // generation that holds a few batches turns most collections into cheap ones (+10%
      // throughput measured against the default, docs/performance.md).
      resourceLimits: { maxYoungGenerationSizeMb: this.cfg.youngGenerationMb ?? YOUNG_GENERATION_MB },
    });
    const slot: Slot = { worker, pending: new Map(), dead: false };
    slot.worker.on('message', (r: DecodeReply) => {
      const p = slot.pending.get(r.id);
      if (!p) return;
      slot.pending.delete(r.id);
      this.failuresInARow = 0;
      if (r.bytes) p.returned?.(r.bytes);
      if ('error' in r) p.reject(new Error(`decode thread: ${r.error}`));
      else p.resolve(r.outcome);
    });
    const fail = (err: Error) => {
      if (slot.dead) return;
      slot.dead = true;
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
      if (this.closed) return;
      if (++this.failuresInARow >= MAX_FAILURES_IN_A_ROW) {
        this.closed = true;
        this.onThreadError(err, true);
        return;
      }
      this.onThreadError(err, false);
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots[i] = this.spawn();
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => {
      if (!this.closed) fail(new Error(`decode thread exited with code ${code}`));
    });
    return slot;
  }
}
