/**
 * Runs each partition's steps one batch after the other (the duplicate checks must see a
 * partition's batches in order), while batches of different partitions, and the decoding that
 * comes before, run at once. A failed step does not block the next batch's turn.
 */
export class PartitionChains {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(partitionKey: string, step: () => Promise<T>): Promise<T> {
    const turn = (this.tails.get(partitionKey) ?? Promise.resolve()).then(step);
    this.tails.set(
      partitionKey,
      turn.catch(() => undefined),
    );
    return turn;
  }
}
