import { describe, expect, it } from 'vitest';
import { PartitionChains } from './partition-chain.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

describe('PartitionChains', () => {
  it("runs a partition's steps in order, other partitions at once, and a failure does not block the next", async () => {
    const c = new PartitionChains();
    const log: string[] = [];
    const gate = deferred();
    const a1 = c.run('a', async () => {
      await gate.promise;
      log.push('a1');
      throw new Error('a1 failed');
    });
    const a2 = c.run('a', async () => {
      log.push('a2');
      return 2;
    });
    const b1 = c.run('b', async () => {
      log.push('b1');
      return 1;
    });
    expect(await b1).toBe(1);
    expect(log).toEqual(['b1']); // b did not wait for a
    gate.resolve();
    await expect(a1).rejects.toThrow('a1 failed');
    expect(await a2).toBe(2);
    expect(log).toEqual(['b1', 'a1', 'a2']);
  });
});
