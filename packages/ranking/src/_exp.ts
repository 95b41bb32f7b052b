import { builtinChanges } from '@radar/catalog';
import { BASE_SETTINGS, loadNamedQuery, openStore } from '@radar/store';
import { buildRiskIndex } from './risk.js';
import { chTime } from './rows.js';
import { TEST_CATALOG } from './testing.js';

const store = await openStore({ dataDir: '/tmp/rk/benchdata', database: 'radar_bench' });
const cat = process.argv[2] === 'real' ? builtinChanges() : TEST_CATALOG;
const idx = buildRiskIndex(cat, 22, 25);
console.log(
  'params sizes',
  idx.sqlParams.gvr_keys.length,
  idx.sqlParams.field_objects.length,
  idx.sqlParams.resources.length,
);
const params = {
  from: chTime(new Date('2026-03-03T12:00:00Z')),
  to: chTime(new Date('2026-03-10T12:00:00Z')),
  cluster: '',
  ...idx.sqlParams,
};
async function t(name: string, sql: string) {
  const ms: number[] = [];
  let n = 0;
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    const rs = await store.client.query({
      query: sql,
      query_params: params,
      format: 'JSONEachRow',
      clickhouse_settings: { ...BASE_SETTINGS },
    });
    const rows = await rs.json();
    n = rows.length;
    ms.push(performance.now() - s);
  }
  ms.sort((a, b) => a - b);
  console.log(name, 'rows', n, 'min', Math.round(ms[0]!), 'med', Math.round(ms[2]!));
}
const q = loadNamedQuery('rank_candidates').sql;

const base = q
  .replace(/uniqMerge\(objects\)/, '0')
  .replace(/groupUniqArrayMerge\(20\)\(namespaces\)/, '[]')
  .replace(/groupUniqArrayMerge\(5\)\(user_agents\)/, '[]')
  .replace(/groupUniqArrayMerge\(5\)\(sample_ids\)/, '[]');
await t('requests only', base);
await t('+objects', base.replace('0 AS objects', 'uniqMerge(objects) AS objects'));
await t('+namespaces', base.replace('[] AS namespaces', 'groupUniqArrayMerge(20)(namespaces) AS namespaces'));
await t('+ua', base.replace('[] AS user_agents', 'groupUniqArrayMerge(5)(user_agents) AS user_agents'));
await t('+samples', base.replace('[] AS sample_ids', 'groupUniqArrayMerge(5)(sample_ids) AS sample_ids'));
await t(
  '+samples argmax',
  base.replace('[] AS sample_ids', 'finalizeAggregation(argMax(sample_ids, last_seen)) AS sample_ids'),
);
await t(
  '+ua argmax',
  base.replace('[] AS user_agents', 'finalizeAggregation(argMax(user_agents, last_seen)) AS user_agents'),
);
await t('no requests', base.replace('uniqMerge(requests)', '0'));
await store.close();
