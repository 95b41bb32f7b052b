export interface PartitionStall {
  topic: string;
  partition: number;
  /** Batches fetched and not yet committed (or dropped). */
  pending: number;
  /** Milliseconds since the last commit, or since work arrived at an idle partition. */
  waitedMs: number;
  stalled: boolean;
}

interface State {
  topic: string;
  partition: number;
  pending: number;
  since: number;
}

/**
 * Tells which partitions hold fetched, uncommitted work and made no commit for `stallMs`: an
 * insert refused for infrastructure reasons is retried for ever (nothing may be committed that
 * is not stored), so this is how a stuck partition becomes visible (/healthz, a gauge) instead
 * of silent. An idle partition (nothing pending) is never stalled.
 */
export class StallTracker {
  private readonly parts = new Map<string, State>();

  constructor(
    private readonly stallMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A batch of the partition was fetched and handed to the queue. */
  fetched(topic: string, partition: number): void {
    const key = `${topic}/${partition}`;
    let s = this.parts.get(key);
    if (!s) {
      s = { topic, partition, pending: 0, since: this.now() };
      this.parts.set(key, s);
    }
    // Idle until now: the clock starts with this work, not at the last commit long ago.
    if (s.pending === 0) s.since = this.now();
    s.pending++;
  }

  /** A batch left the queue: committed (progress), or its commit failed (the partition moved). */
  settled(topic: string, partition: number, committed: boolean): void {
    const s = this.parts.get(`${topic}/${partition}`);
    if (!s) return;
    s.pending = Math.max(0, s.pending - 1);
    if (committed) s.since = this.now();
  }

  /** Batches dropped unstored (they are fetched again, or replayed by the next owner). */
  dropped(topic: string, partition: number, batches: number): void {
    const s = this.parts.get(`${topic}/${partition}`);
    if (s) s.pending = Math.max(0, s.pending - batches);
  }

  /** Every partition seen, with whether it is stalled now. */
  partitions(): PartitionStall[] {
    const now = this.now();
    return [...this.parts.values()].map((s) => {
      const waitedMs = s.pending > 0 ? now - s.since : 0;
      return {
        topic: s.topic,
        partition: s.partition,
        pending: s.pending,
        waitedMs,
        stalled: s.pending > 0 && waitedMs >= this.stallMs,
      };
    });
  }

  stalled(): PartitionStall[] {
    return this.partitions().filter((p) => p.stalled);
  }

  /** The queue was given up (shutdown): nothing is pending any more. */
  clear(): void {
    this.parts.clear();
  }
}

/** The /healthz problem for stalled partitions, or null. */
export function stallProblem(stalled: readonly PartitionStall[]): string | null {
  if (stalled.length === 0) return null;
  const names = stalled.map((p) => `${p.topic}/${p.partition} (${Math.round(p.waitedMs / 1000)}s)`);
  return `partitions stalled with uncommitted work and no commit: ${names.join(', ')}`;
}
