import type { LearnedRow } from '@radar/guard';
import { describe, expect, it } from 'vitest';
import { Learner } from './learner.js';

const row: LearnedRow = {
  username: 'u',
  api_group: 'apps',
  resource: 'deployments',
  client_name: 'c',
  client_version: 'v1.16.0',
  client_kube_minor: 16,
  updates: 1,
  paths: [],
};

describe('Learner', () => {
  it('keeps the last table through failed loads until it is older than the staleness limit', async () => {
    let t = 1_000;
    let fail = false;
    const errors: unknown[] = [];
    const l = new Learner({
      load: async () => {
        if (fail) throw new Error('store down');
        return [row];
      },
      refreshMs: 1000,
      maxStalenessMs: 5_000,
      now: () => t,
      onError: (e) => errors.push(e),
    });
    expect(l.current()).toBeUndefined();
    expect(l.ageSeconds()).toBe(-1);
    expect(await l.refresh()).toBe(true);
    expect(l.current()?.rows).toBe(1);
    fail = true;
    t += 4_000;
    expect(await l.refresh()).toBe(false);
    expect(l.current()?.rows).toBe(1);
    expect(l.ageSeconds()).toBe(4);
    t += 2_000;
    expect(l.current()).toBeUndefined();
    expect(errors).toHaveLength(1);
    fail = false;
    expect(await l.refresh()).toBe(true);
    expect(l.current()?.rows).toBe(1);
  });
});
