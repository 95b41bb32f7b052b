/**
 * pnpm bench:sql-once — issue 12's last shared SQL, measured once against the shapes it replaced
 * (read from git at BEFORE), in the same run on the same 1M generated events: results must be
 * equal, rows read (system.events SelectedRows: chDB keeps no query_log) and time side by side.
 * - rank_candidates with by_day 0 / 1 against the old rank_candidates / report_daily_risk;
 * - evidence_counts and evidence_drops through evidence_states (migration 0052) against the
 *   old inline replays. evidence_counts leaves the view's changed-objects narrowing off: its
 *   subquery must read no rows.
 * Prints one JSON line.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { builtinChanges } from '../../packages/catalog/src/index.js';
import { planRank } from '../../packages/ranking/src/index.js';
import {
  BASE_SETTINGS,
  defineQuery,
  evidenceCounts,
  evidenceDrops,
  migrate,
  openStore,
  rankCandidates,
  type Store,
} from '../../packages/store/src/index.js';

/** The commit before issue 12's last step: its queries are the baseline. */
const BEFORE = 'f875a27';
const NOW = new Date('2026-03-10T12:00:00Z');
const EVENTS = 1_000_000;
const P = 'spec.template.spec.containers[].resizePolicy';
const MIN = 60_000;
const DAY = 86_400_000;

// 300 clients; half the events are deployment writes with bodies on 5,000 objects (updates by
// the first 150 clients carry P, the others' drop it; 1 patch in 3 sets it), the rest reads and
// writes of other kinds. Stored 1 s after they happened, so the alert window is the last minutes.
const LOAD = `
INSERT INTO audit_events (audit_id, ts, ingested_at, stage, stage_rank, level, cluster, verb,
  api_group, api_version, resource, subresource, namespace, name, request_uri, username,
  user_agent, client_name, client_version, client_kube_minor, status_code, request_paths,
  request_paths_status)
SELECT
  concat('b-', toString(number)), ts, ts + toIntervalSecond(1), 'ResponseComplete', 2, 'Request',
  'prod', verb, res.1, res.2, res.3, '', concat('ns-', toString(c % 40)), name,
  concat('/apis/', res.1, '/', res.2, '/namespaces/ns/', res.3, '/', name),
  concat('system:serviceaccount:ns-', toString(c % 40), ':client-', toString(c)),
  concat('client-', toString(c), '/v1.', toString(16 + c % 15), '.0'),
  concat('client-', toString(c)), concat('v1.', toString(16 + c % 15), '.0'),
  toUInt16(if(c % 10 = 0, 0, 16 + c % 15)), 200,
  if(dep, if((verb = 'update' AND c < 150) OR (verb = 'patch' AND h % 3 = 0) OR verb = 'create',
             ['spec', 'spec.replicas', '${P}'], ['spec', 'spec.replicas']), []),
  if(dep, 'complete', '')
FROM (
  SELECT number, cityHash64(number) AS h, number % 300 AS c, h % 2 = 0 AS dep,
    toDateTime64('${NOW.toISOString().slice(0, 19).replace('T', ' ')}', 3, 'UTC')
      - toIntervalMillisecond(intDiv(h, 7) % ${7 * DAY}) AS ts,
    if(dep, ('apps', 'v1', 'deployments'),
       [('batch', 'v1beta1', 'cronjobs'), ('policy', 'v1beta1', 'poddisruptionbudgets'),
        ('autoscaling', 'v2beta2', 'horizontalpodautoscalers'), ('', 'v1', 'pods'),
        ('', 'v1', 'configmaps'), ('apps', 'v1', 'statefulsets')][intDiv(h, 11) % 6 + 1]) AS res,
    if(dep, ['update', 'update', 'update', 'update', 'update', 'update', 'update', 'patch', 'patch', 'create'][intDiv(h, 13) % 10 + 1],
       ['get', 'list', 'watch', 'update', 'patch'][intDiv(h, 13) % 5 + 1]) AS verb,
    if(dep, concat('obj-', toString(intDiv(h, 17) % 5000)), concat('o-', toString(intDiv(h, 17) % 500))) AS name
  FROM numbers(${EVENTS})
)`;

async function counter(store: Store): Promise<number> {
  const rs = await store.client.query({
    query: "SELECT value FROM system.events WHERE event = 'SelectedRows'",
    format: 'JSONEachRow',
    clickhouse_settings: BASE_SETTINGS,
  });
  return Number(((await rs.json()) as { value: number }[])[0]?.value ?? 0);
}

/** Rows read and time of one run; the counter's own read is measured and taken off. */
async function measured<T>(
  store: Store,
  run: () => Promise<T>,
): Promise<{ rows: number; ms: number; out: T }> {
  const a = await counter(store);
  const probe = (await counter(store)) - a;
  const b = await counter(store);
  const t = performance.now();
  const out = await run();
  const ms = performance.now() - t;
  return { rows: (await counter(store)) - b - probe, ms, out };
}

/**
 * A row as comparable text: lists sorted; with `capped`, a list of 5 or more items (a
 * groupUniqArray(N) at its cap holds whichever N items the threads met first) by its length.
 */
function canon(rows: readonly unknown[], capped: boolean): string[] {
  const item = (v: unknown) =>
    Array.isArray(v) ? (capped && v.length >= 5 ? `${v.length} items` : [...v].sort()) : v;
  return rows.map((r) => JSON.stringify(Object.entries(r as object).map(([k, v]) => [k, item(v)]))).sort();
}

/** Alternates the two shapes `rounds` times; equal results or it says where they differ. */
async function compare<T>(store: Store, before: () => Promise<T[]>, after: () => Promise<T[]>, rounds = 3) {
  const times: { before: number[]; after: number[] } = { before: [], after: [] };
  let rows = { before: 0, after: 0 };
  let exact = true;
  let equal = true;
  let resultRows = 0;
  for (let i = 0; i < rounds; i++) {
    const b = await measured(store, before);
    const a = await measured(store, after);
    times.before.push(b.ms);
    times.after.push(a.ms);
    rows = { before: b.rows, after: a.rows };
    exact &&= isDeepStrictEqual(canon(b.out, false), canon(a.out, false));
    equal &&= isDeepStrictEqual(canon(b.out, true), canon(a.out, true));
    resultRows = a.out.length;
  }
  const median = (xs: number[]) => Math.round([...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!);
  return {
    equal: exact ? 'exact' : equal ? 'up to which items fill a capped sample list' : false,
    resultRows,
    rowsRead: rows,
    medianMs: { before: median(times.before), after: median(times.after) },
    minMs: { before: Math.round(Math.min(...times.before)), after: Math.round(Math.min(...times.after)) },
  };
}

type Schema = Parameters<typeof defineQuery>[0]['params'];

/** The query as it was at BEFORE, with today's schemas (their parameters did not change). */
function before<P extends Schema, R extends Schema>(dir: string, name: string, q: { params: P; row: R }) {
  const sql = execFileSync('git', ['show', `${BEFORE}:queries/${name}.sql`], { encoding: 'utf8' });
  writeFileSync(join(dir, `${name}.sql`), sql);
  return defineQuery({ name, dir, params: q.params, row: q.row });
}

const dataDir = mkdtempSync(join(tmpdir(), 'radar-bench-sql-once-'));
const oldDir = join(dataDir, 'queries-before');
mkdirSync(oldDir);
const store = await openStore({ dataDir, database: 'radar_bench' });
try {
  await migrate(store);
  const t0 = performance.now();
  await store.client.command({ query: LOAD, clickhouse_settings: { ...BASE_SETTINGS, async_insert: 0 } });
  const loadMs = Math.round(performance.now() - t0);
  await store.client.command({ query: 'OPTIMIZE TABLE audit_daily FINAL' });

  const plan = planRank(builtinChanges(), { current: '1.22', target: '1.25', since: '7d', now: NOW });
  const rp = { from: plan.from, to: plan.to, cluster: '', ...plan.index.sqlParams, override_clients: [] };
  const params = rankCandidates.params.omit({ by_day: true });
  const oldRank = before(oldDir, 'rank_candidates', { params, row: rankCandidates.row.omit({ day: true }) });
  const oldDaily = before(oldDir, 'report_daily_risk', {
    params,
    row: rankCandidates.row.omit({
      objects: true,
      namespaces: true,
      sample_ids: true,
      first_at: true,
      last_at: true,
    }),
  });
  const rank = await compare(
    store,
    () => oldRank.run(store, rp),
    async () => (await rankCandidates.run(store, { ...rp, by_day: 0 })).map(({ day: _d, ...r }) => r),
  );
  const daily = await compare(
    store,
    () => oldDaily.run(store, rp),
    async () =>
      (await rankCandidates.run(store, { ...rp, by_day: 1 })).map(
        ({ objects: _o, namespaces: _n, sample_ids: _s, first_at: _f, last_at: _l, ...r }) => r,
      ),
  );

  const targets = [P, 'spec.template.spec.os', 'spec.minReadySeconds', 'spec.revisionHistoryLimit'];
  const ep = {
    from: new Date(NOW.getTime() - 7 * DAY),
    to: NOW,
    history_from: new Date(NOW.getTime() - 37 * DAY),
    cluster: '',
    resources: ['deployments'],
    alias_keys: ['apps/deployments', 'extensions/deployments'],
    alias_objects: ['apps/deployments', 'apps/deployments'],
    target_objects: targets.map(() => 'apps/deployments'),
    target_paths: targets,
    keys: targets.map((t) => `apps/deployments|${t}`),
    max_objects: 10,
  };
  const counts = await compare(
    store,
    () => before(oldDir, 'evidence_counts', evidenceCounts).run(store, ep),
    () => evidenceCounts.run(store, ep),
  );
  const minTs = new Date(NOW.getTime() - DAY);
  const dp = {
    from: new Date(NOW.getTime() - 10 * MIN),
    to: NOW,
    min_ts: minTs,
    history_from: new Date(minTs.getTime() - 30 * DAY),
    cluster: '',
    resources: ['deployments'],
    target_paths: targets,
    keys: ep.keys,
    max_objects: 10,
  };
  const drops = await compare(
    store,
    () => before(oldDir, 'evidence_drops', evidenceDrops).run(store, dp),
    () => evidenceDrops.run(store, dp),
  );
  process.stdout.write(
    `${JSON.stringify({ bench: 'sql-once', events: EVENTS, loadMs, before: BEFORE, rank, daily, counts, drops })}\n`,
  );
} finally {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
}
