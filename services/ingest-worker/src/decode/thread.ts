import { parentPort, workerData } from 'node:worker_threads';
import { messagesOf } from '@radar/ingest';
import { createLocalDecoder, type DecoderConfig } from './decoder.js';
import { type DecodeReply, owned, type PackedBatch, type ResetRecent } from './protocol.js';

// A decode thread: unpacks a batch, runs processBatch, and hands the encoded rows back by
// transfer. Keeps its own user-agent cache (agents repeat, so each thread's fills quickly).
const decoder = createLocalDecoder(workerData as DecoderConfig);
const port = parentPort!;

port.on('message', (b: PackedBatch | ResetRecent) => {
  if ('reset' in b) {
    decoder.reset();
    return;
  }
  let reply: DecodeReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const bytes = Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength);
    const messages = messagesOf({ bytes, ends: b.ends }, b.partition, b.offsets);
    const outcome = decoder.decode({
      topic: b.topic,
      ...(b.source === undefined ? {} : { source: b.source }),
      apiserver: b.apiserver,
      apiservers: b.apiservers,
      messages,
    });
    const rows = outcome.rows;
    // The encoder's own buffer (RowEncoder.finish keeps at most a quarter of it unused).
    rows.body = owned(rows.body, 0.75);
    rows.ends = owned(rows.ends);
    rows.ranks = owned(rows.ranks);
    transfer.push(
      rows.body.buffer as ArrayBuffer,
      rows.ends.buffer as ArrayBuffer,
      rows.ranks.buffer as ArrayBuffer,
    );
    reply = { id: b.id, outcome };
  } catch (e) {
    reply = { id: b.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  // The input goes back whole (its buffer is the sender's own: ChunkBuilder), so the sender reuses
  // it instead of this thread holding it until a collection: nothing here refers to it any more.
  if (b.returnBytes) {
    reply.bytes = b.bytes.buffer as ArrayBuffer;
    transfer.push(reply.bytes);
  }
  port.postMessage(reply, transfer);
});
