export {
  type Checkpoint,
  comparePos,
  type Intent,
  type Position,
  rangeToken,
  readCheckpoint,
} from './checkpoint.js';
export { type DrainerOptions, SpoolDrainer } from './drainer.js';
export { decodeRecord, encodeRecord } from './frame.js';
export {
  type AppendResult,
  DEFAULT_SEGMENT_BYTES,
  type FrontRead,
  Spool,
  type SpoolLog,
  type SpoolOptions,
} from './spool.js';
export { spoolTestRows, type TestRowsOptions } from './testing.js';
