import { dlq, ok, type RejectReason, type StepResult } from '@radar/audit-events';
import { stripBodies } from '@radar/field-paths';
import type { RefusedRow } from '@radar/ingest';
import type { PartitionBatch, ProducedRecord } from '@radar/kafka';
import { AUDIT_COLUMNS } from '@radar/tagger';
import { APISERVER_HEADER, APISERVER_VERSION_HEADER } from './apiserver-headers.js';

/** Offsets in the DLQ message are enough to find the original; keep DLQ messages small. */
export const MAX_DLQ_VALUE = 256 * 1024;
const MAX_DETAIL = 1000;
/** Longer than any valid apiserver name or version: a hostile header is cut, not copied whole. */
const MAX_ORIGIN = 200;

/**
 * A message the decoder rejected, as the DLQ keeps it: request and response bodies removed first
 * (a Secret's data must not survive in the DLQ any more than in the store), then cut to
 * MAX_DLQ_VALUE.
 */
export function rejectedRecord(
  batch: PartitionBatch,
  index: number,
  reason: RejectReason,
  detail: string,
  maxParseBytes: number,
): ProducedRecord {
  const m = batch.messages[index]!;
  const original = m.value ?? Buffer.alloc(0);
  const stripped = stripBodies(original, maxParseBytes);
  // Without bodies the original bytes are kept as they were (invalid UTF-8 included).
  const value = stripped.removed > 0 ? Buffer.from(stripped.payload, 'utf8') : original;
  const headers: Record<string, string> = {
    'radar-reason': reason,
    'radar-detail': detail.slice(0, MAX_DETAIL),
    'radar-source-topic': batch.topic,
    'radar-source-partition': String(batch.partition),
    'radar-source-offset': m.offset,
    'radar-truncated': String(value.length > MAX_DLQ_VALUE),
    'radar-bodies-removed': String(stripped.removed),
  };
  // Which apiserver served it travels on, so a fixed and replayed message keeps it (checked again then).
  for (const h of [APISERVER_HEADER, APISERVER_VERSION_HEADER]) {
    const v = m.headers?.[h];
    if (v !== undefined && !Array.isArray(v))
      headers[h] = (typeof v === 'string' ? v : v.toString('utf8')).slice(0, MAX_ORIGIN);
  }
  return {
    key: m.key,
    value: value.length > MAX_DLQ_VALUE ? value.subarray(0, MAX_DLQ_VALUE) : value,
    headers,
  };
}

const SOURCE = AUDIT_COLUMNS.indexOf('source');
const PARTITION = AUDIT_COLUMNS.indexOf('kafka_partition');
const OFFSET = AUDIT_COLUMNS.indexOf('kafka_offset');

/**
 * Where a stored row came from, read from its own cells (inserts join several batches, so the
 * row is all that is left of its message): `kafka:<topic>`, partition and offset.
 */
export function rowSource(line: string): StepResult<{ topic: string; partition: string; offset: string }> {
  let cells: unknown;
  try {
    cells = JSON.parse(line);
  } catch (e) {
    return dlq('refused-by-store', `row is not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(cells)) return dlq('refused-by-store', 'row is not a JSON array');
  const source = cells[SOURCE];
  const partition = cells[PARTITION];
  const offset = cells[OFFSET];
  if (typeof source !== 'string' || !source.startsWith('kafka:')) {
    return dlq('refused-by-store', 'row does not name its Kafka source');
  }
  if (!Number.isInteger(partition) || !Number.isInteger(offset)) {
    return dlq('refused-by-store', 'row has no Kafka partition/offset');
  }
  return ok({ topic: source.slice('kafka:'.length), partition: String(partition), offset: String(offset) });
}

/**
 * A row the store refused (isolated from its batch), as the DLQ keeps it: its encoded line
 * (bodies are already reduced to field paths there, never values), the engine's message as the
 * detail, and the source partition/offset from the row's cells.
 */
export function refusedRecord(row: RefusedRow): ProducedRecord {
  const src = rowSource(row.line);
  const value = Buffer.from(row.line, 'utf8');
  const headers: Record<string, string> = {
    'radar-reason': 'refused-by-store',
    'radar-detail': row.message.slice(0, MAX_DETAIL),
    'radar-truncated': String(value.length > MAX_DLQ_VALUE),
    'radar-bodies-removed': '0',
  };
  if (src.kind === 'ok') {
    headers['radar-source-topic'] = src.value.topic;
    headers['radar-source-partition'] = src.value.partition;
    headers['radar-source-offset'] = src.value.offset;
  }
  if (row.code !== undefined) headers['radar-engine-code'] = String(row.code);
  return {
    key: row.auditId,
    value: value.length > MAX_DLQ_VALUE ? value.subarray(0, MAX_DLQ_VALUE) : value,
    headers,
  };
}
