import { type EncodedRows, insertIsolating, type RefusedRow, storeReplayed } from '@radar/ingest';
import type { Producer } from '@radar/kafka';
import type { Logger } from '@radar/observability';
import type { Store } from '@radar/store';
import type { IngestMetrics } from '../metrics.js';
import { refusedRecord } from './dead-letter.js';

export interface InsertStepDeps {
  store: Store;
  dlq: Producer;
  dlqTopic: string;
  metrics: IngestMetrics;
  log: Logger;
}

/** What one insert did: rows the engine refused went to the DLQ instead. */
export interface InsertOutcome {
  refused: number;
}

/**
 * The insert queue's insert: the rows go to the store with their batch's dedup token; rows the
 * engine refuses for their data are isolated (insertIsolating), dead-lettered as
 * `refused-by-store` with the engine's message, and the batch commits like any other. An
 * infrastructure error (or a failed DLQ send) throws: the queue retries with backoff, and a
 * retry (attempt > 1) re-checks what the failed attempt stored, halves of an isolation included.
 */
export function createInsertStep(deps: InsertStepDeps) {
  return async (rows: EncodedRows, token: string, attempt: number): Promise<InsertOutcome> => {
    const { refused } =
      attempt === 1 ? await insertIsolating(deps.store, rows, token) : await storeReplayed(deps.store, rows);
    if (refused.length > 0) await deadLetterRefused(deps, refused);
    return { refused: refused.length };
  };
}

async function deadLetterRefused(deps: InsertStepDeps, refused: RefusedRow[]): Promise<void> {
  // The DLQ is at-least-once: a retried insert sends these again (dedupe by source offset).
  await deps.dlq.send(deps.dlqTopic, refused.map(refusedRecord));
  deps.metrics.rejected.inc({ reason: 'refused-by-store' }, refused.length);
  deps.metrics.events.inc({ outcome: 'rejected' }, refused.length);
  deps.log.warn(
    { refused: refused.length, first: refused[0]!.auditId, code: refused[0]!.code },
    'rows refused by the store sent to the DLQ',
  );
}
