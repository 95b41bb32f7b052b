import { describe, expect, it } from 'vitest';
import { runShutdown } from './shutdown.js';

describe('runShutdown', () => {
  it('runs every step in order, after a failing one too', async () => {
    const ran: string[] = [];
    const errors: unknown[] = [];
    const step = (name: string, fail = false) =>
      [
        name,
        async () => {
          ran.push(name);
          if (fail) throw new Error(`${name} broke`);
        },
      ] as const;
    const failed = await runShutdown([step('workers'), step('queues', true), step('store'), step('redis')], {
      error: (o: unknown) => errors.push(o),
    } as never);
    expect(ran).toEqual(['workers', 'queues', 'store', 'redis']);
    expect(failed).toEqual(['queues']);
    expect(errors).toEqual([{ step: 'queues', err: 'queues broke' }]);
  });
});
