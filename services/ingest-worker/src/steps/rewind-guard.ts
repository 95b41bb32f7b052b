/** What the guard says about a fetched batch. */
export type Admission = { kind: 'ok' } | { kind: 'drop'; reason: 'fetched-before-rewind' };

/**
 * A partition whose batch could not be prepared is fetched again from that batch's offset
 * (the consumer seeks back). Batches fetched before the seek took effect start past the failed
 * one: storing them would commit over it, so they are dropped until the refetch arrives.
 */
export class RewindGuard {
  private readonly from = new Map<string, bigint>();

  /** The partition is fetched again from `offset`. */
  rewound(partitionKey: string, offset: string): void {
    this.from.set(partitionKey, BigInt(offset));
  }

  admit(partitionKey: string, firstOffset: string): Admission {
    const from = this.from.get(partitionKey);
    if (from === undefined) return { kind: 'ok' };
    if (BigInt(firstOffset) > from) return { kind: 'drop', reason: 'fetched-before-rewind' };
    this.from.delete(partitionKey);
    return { kind: 'ok' };
  }
}
