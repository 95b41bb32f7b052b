import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@radar/config';
import { insertBody, migrate, openStore, type Store } from '@radar/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, UsageError } from './errors.js';

describe('radar maps errors by the one taxonomy', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-cli-errors-')), database: 'radar' });
    await migrate(store);
  });
  afterAll(() => store.close());

  const refused = async (body: string) => {
    try {
      await insertBody(store, 'audit_events', Buffer.from(body), { columns: ['audit_id', 'ts'] });
    } catch (e) {
      return e;
    }
    throw new Error('accepted');
  };

  it('input errors exit 2 with their message', () => {
    expect(failure(new UsageError('--port x: not a port number'))).toEqual({
      exitCode: 2,
      text: 'radar: --port x: not a port number',
    });
    expect(failure(new ConfigError('invalid environment:\n  HTTP_PORT: bad')).exitCode).toBe(2);
  });

  it('values the engine refuses exit 2 with the first line of its message, never a stack', async () => {
    const f = failure(await refused('["x", "+275760-09-13T00:00:00Z"]\n'));
    expect(f.exitCode).toBe(2);
    expect(f.text).toMatch(/^radar: Code: 41\. .*Cannot read DateTime/);
    expect(f.text).not.toContain('\n');
  });

  it('everything else exits 1 with its message', async () => {
    expect(failure(new Error('connect ECONNREFUSED 127.0.0.1:8123'))).toEqual({
      exitCode: 1,
      text: 'radar: connect ECONNREFUSED 127.0.0.1:8123',
    });
    // Named like an input error but not one: names are never matched.
    expect(failure(Object.assign(new Error('x'), { name: 'UsageError' })).exitCode).toBe(1);
    const unknownTable = await store.client.query({ query: 'SELECT * FROM no_such_table' }).catch((e) => e);
    expect(failure(unknownTable).exitCode).toBe(1);
  });
});
