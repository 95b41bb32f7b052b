import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The worker's metrics, registered on the registry it is given (no global default registry). */
export function createIngestMetrics(registry: Registry) {
  const registers = [registry];
  /** Run before each scrape: gauges that are read from state rather than set as things happen. */
  const beforeScrape: (() => void)[] = [];
  return {
    beforeScrape,
    partitionStalled: new Gauge({
      name: 'radar_ingest_partition_stalled',
      help: '1 while the partition holds fetched, uncommitted work with no commit for INGEST_STALL_S',
      labelNames: ['topic', 'partition'] as const,
      registers,
      collect() {
        for (const f of beforeScrape) f();
      },
    }),
    events: new Counter({
      name: 'radar_ingest_events_total',
      help: 'Audit events seen, by outcome (stored, rejected, superseded, already_stored, dropped)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    rejected: new Counter({
      name: 'radar_ingest_rejected_total',
      help: 'Events sent to the dead-letter topic, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    apiserverHeadersRefused: new Counter({
      name: 'radar_ingest_apiserver_headers_refused_total',
      help: 'Messages whose radar-apiserver headers were refused: stored without an apiserver identity',
      registers,
    }),
    rowsInserted: new Counter({ name: 'radar_ingest_rows_inserted_total', help: 'Rows inserted', registers }),
    batches: new Counter({ name: 'radar_ingest_batches_total', help: 'Batches committed', registers }),
    retries: new Counter({
      name: 'radar_ingest_retries_total',
      help: 'Failed attempts that were retried, by step (insert, dlq, dedup)',
      labelNames: ['step'] as const,
      registers,
    }),
    insertSeconds: new Histogram({
      name: 'radar_ingest_insert_duration_seconds',
      help: 'ClickHouse insert time per batch',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'radar_ingest_batch_duration_seconds',
      help: 'Whole batch time: decode, tag, dedup, DLQ, insert, commit',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    }),
    backpressure: new Gauge({
      name: 'radar_ingest_backpressure',
      help: '1 while a batch waits for the store or the DLQ to recover',
      registers,
    }),
    lastCommittedOffset: new Gauge({
      name: 'radar_ingest_committed_offset',
      help: 'Last committed offset per partition',
      labelNames: ['topic', 'partition'] as const,
      registers,
    }),
  };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
