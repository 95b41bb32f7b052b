import type { ApiserverIndex } from '@radar/ingest';
import type { ApiserverIdentity } from '@radar/tagger';
import type { DecodedBatch } from './decoder.js';

/**
 * A batch crossing to a decode thread: the message values packed into one buffer (transferred,
 * not cloned) with the end of each; a null value is an empty slot.
 */
export interface PackedBatch {
  id: number;
  topic: string;
  partition: number;
  bytes: Uint8Array;
  ends: Uint32Array;
  /** Each message's offset; absent: its index (a file chunk's lines). */
  offsets?: Float64Array;
  source?: string;
  apiserver?: ApiserverIdentity | undefined;
  /** Per-message identities (Kafka headers): the table is cloned, the index transferred. */
  apiservers?: ApiserverIndex | undefined;
  /** Send `bytes` back with the reply (moved, as it came), for the sender to reuse. */
  returnBytes?: boolean;
}

export type DecodeReply =
  | { id: number; outcome: DecodedBatch; bytes?: ArrayBuffer }
  | { id: number; error: string; bytes?: ArrayBuffer };

/** Sent instead of a batch: forget recent requests (partitions moved). */
export interface ResetRecent {
  reset: true;
}

export function pack(
  id: number,
  topic: string,
  partition: number,
  messages: readonly { value: Buffer | null; offset: string }[],
): PackedBatch {
  let total = 0;
  for (const m of messages) total += m.value?.length ?? 0;
  // Its own memory (never the shared pool: it is transferred to the thread), not zero-filled.
  const bytes = Buffer.allocUnsafeSlow(total);
  const ends = new Uint32Array(messages.length);
  const offsets = new Float64Array(messages.length);
  let at = 0;
  messages.forEach((m, i) => {
    if (m.value) {
      bytes.set(m.value, at);
      at += m.value.length;
    }
    ends[i] = at;
    offsets[i] = Number(m.offset);
  });
  return { id, topic, partition, bytes, ends, offsets };
}

/** %TypedArray%.prototype.slice: copies, where Buffer's slice() is a view of the same memory. */
const typedSlice = Object.getPrototypeOf(Uint8Array.prototype).slice as (this: ArrayBufferView) => unknown;

/**
 * A typed array that owns its whole ArrayBuffer, so transferring it moves nothing else.
 * `atLeast` < 1 accepts a view of its own buffer that covers at least that share of it (a
 * RowEncoder's lines, handed over in place): the buffer crosses whole, slack included, instead of
 * being copied. Only for views whose buffer nothing else uses.
 */
export function owned<T extends Uint8Array | Uint16Array | Uint32Array>(a: T, atLeast = 1): T {
  if (a.byteOffset === 0 && a.byteLength >= a.buffer.byteLength * atLeast) return a;
  return typedSlice.call(a) as T;
}
