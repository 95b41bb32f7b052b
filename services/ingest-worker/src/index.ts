export { createBatchHandler } from './batch-handler.js';
export { type IngestWorker, startIngestWorker } from './worker.js';
