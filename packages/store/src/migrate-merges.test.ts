import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from './client.js';
import { migrate } from './migrate.js';

// The merge settings that bound the embedded engine's memory (0053, 0056) are on the tables.
describe('merge settings after migrate', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-merges-')), database: 'radar' });
    await migrate(store);
  });
  afterAll(() => store.close());

  const ddl = async (table: string) => {
    const rs = await store.client.query({
      query:
        'SELECT create_table_query AS q FROM system.tables WHERE database = currentDatabase() AND name = {t:String}',
      query_params: { t: table },
      format: 'JSONEachRow',
    });
    return (await rs.json<{ q: string }>())[0]?.q ?? '';
  };

  it('merges the rollup at most 4 parts at a time, and audit_events vertically', async () => {
    expect(await ddl('audit_daily')).toContain('max_parts_to_merge_at_once = 4');
    expect(await ddl('audit_events')).toContain('vertical_merge_algorithm_min_rows_to_activate = 1');
  });
});
