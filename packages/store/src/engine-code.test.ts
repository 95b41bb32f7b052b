import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from './client.js';
import { engineErrorCode } from './errors.js';

describe('engineErrorCode', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-err-')), database: 'radar_test' });
  });
  afterAll(async () => store.close());

  it('reads the code of a query the embedded engine refused through the client', async () => {
    // chDB wraps its ChdbError in a ClickHouseError of its own copy of the client's classes.
    const err = await store.client.query({ query: 'SELEC 1' }).catch((e: unknown) => e);
    expect(engineErrorCode(err)).toBe(62);
  });

  it('is undefined for errors that did not come from the engine', () => {
    expect(engineErrorCode(new Error('connect ECONNREFUSED'))).toBeUndefined();
    expect(engineErrorCode({ clickhouseCode: '62' })).toBeUndefined();
    expect(engineErrorCode(null)).toBeUndefined();
  });

  it('finds a code in the cause of a wrapping error', () => {
    expect(engineErrorCode(new Error('insert failed', { cause: { clickhouseCode: 27 } }))).toBe(27);
  });
});
