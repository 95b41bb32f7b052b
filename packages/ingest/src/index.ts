export { ChunkBuilder, messagesOf, type PackedLines } from './chunk.js';
export {
  concatRows,
  decodeRows,
  type EncodedRows,
  emptyRows,
  encodeRows,
  pickRows,
  RowEncoder,
  requestKeyAt,
  rowCount,
  rowsWhere,
} from './encoded.js';
export {
  type FileIngestConfig,
  type FileIngestDeps,
  type FileIngestSummary,
  ingestStream,
  type Progress,
} from './file.js';
export { type IsolatedInsert, insertIsolating, type RefusedRow, storeReplayed } from './isolate.js';
export {
  type ApiserverIndex,
  type BatchOutcome,
  type InputMessage,
  type PipelineConfig,
  type PipelineDeps,
  processBatch,
  type Rejected,
} from './pipeline.js';
export { RecentRequests } from './recent.js';
export { insertAuditRows, refeedRollup } from './sink.js';
export {
  type AppendResult,
  type Checkpoint,
  type DrainerOptions,
  encodeRecord,
  type Intent,
  type Position,
  rangeToken,
  Spool,
  SpoolDrainer,
  type SpoolLog,
  type SpoolOptions,
  spoolTestRows,
  type TestRowsOptions,
} from './spool/index.js';
export { withoutStored } from './stored.js';
