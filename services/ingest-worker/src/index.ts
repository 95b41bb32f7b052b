export { createBatchHandler } from './batch-handler.js';
export type { DecodedBatch, DecoderConfig } from './decode/decoder.js';
export { DecodePool } from './decode/pool.js';
export { type IngestWorker, startIngestWorker } from './worker.js';
