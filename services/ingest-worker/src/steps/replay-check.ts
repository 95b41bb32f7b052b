import type { EncodedRows } from '@radar/ingest';

/** Splits rows into new ones and ones already stored (withoutStored from @radar/ingest). */
export type StoredCheck = (
  rows: EncodedRows,
) => Promise<{ fresh: EncodedRows; stored: EncodedRows; alreadyStored: number }>;

export interface ReplayCheckDeps {
  check: StoredCheck;
  /** Counts rows stored by an earlier owner in the rollup (their view may not have run). */
  refeed(rows: EncodedRows): Promise<void>;
}

/** Runs a store step with the batch's backoff (infrastructure errors are retried). */
export type Retry = <T>(step: () => Promise<T>) => Promise<T>;

/**
 * After a (re)assignment, a partition's first batches may hold rows an earlier owner stored but
 * did not commit. They are checked against the store until one batch holds only new requests;
 * from then on the partition is verified and its batches skip the check (a query per batch).
 */
export class ReplayCheck {
  private readonly verified = new Set<string>();

  constructor(private readonly deps: ReplayCheckDeps) {}

  async filter(
    partitionKey: string,
    rows: EncodedRows,
    retry: Retry,
  ): Promise<{ rows: EncodedRows; alreadyStored: number }> {
    if (this.verified.has(partitionKey)) return { rows, alreadyStored: 0 };
    const checked = await retry(() => this.deps.check(rows));
    await retry(() => this.deps.refeed(checked.stored));
    // A replay may span several batches stored before a crash: check until one is all new.
    if (checked.alreadyStored === 0) this.verified.add(partitionKey);
    return { rows: checked.fresh, alreadyStored: checked.alreadyStored };
  }

  /** After a rebalance any partition may hold batches another worker stored but did not commit. */
  reset(): void {
    this.verified.clear();
  }
}
