import { z } from 'zod';
import { defineQuery } from '../query.js';
import { clientResource, clusterParam, count, isoTime, strings, text, texts, time } from './common.js';

/**
 * Rollup rows that can carry risk for one upgrade (the rank_candidate_rows view), merged over the
 * window for rank or per UTC day (`by_day: 1`) for the report's chart: one statement, so the two
 * never disagree on which traffic counts. `day` is '1970-01-01' when merged; per day only the key,
 * requests and user_agents are merged (objects, namespaces, sample_ids, first/last stay empty).
 */
export const rankCandidates = defineQuery({
  name: 'rank_candidates',
  params: z.object({
    by_day: z.number().int().min(0).max(1),
    from: time,
    to: time,
    cluster: clusterParam,
    all_resources: z.number().int().min(0).max(1),
    resources: strings,
    gvr_keys: strings,
    field_objects: strings,
    field_max_since: z.array(z.number().int().min(0).max(65_535)).readonly(),
    override_clients: strings,
    storage_objects: strings,
  }),
  row: z.object({
    day: text,
    ...clientResource,
    subresource: text,
    verb: text,
    requests: count,
    objects: count,
    namespaces: texts,
    user_agents: texts,
    sample_ids: texts,
    first_at: isoTime,
    last_at: isoTime,
  }),
});

export const rankWindowActivity = defineQuery({
  name: 'rank_window_activity',
  params: z.object({ from: time, to: time, cluster: clusterParam }),
  row: z.object({ rows: count, clients: count }),
});

export const rankSnapshotGet = defineQuery({
  name: 'rank_snapshot_get',
  params: z.object({ period_key: z.string() }),
  row: z.object({ period_key: text, run_id: text, created_at: isoTime, result: text }),
});

export const rankSnapshotTrend = defineQuery({
  name: 'rank_snapshot_trend',
  params: z.object({ current: z.string(), target: z.string(), cluster: clusterParam, from: time, to: time }),
  row: z.object({ at: isoTime, client: text, client_version: text, severity: text, requests: count }),
});

export const reportGet = defineQuery({
  name: 'report_get',
  params: z.object({ report_key: z.string() }),
  row: z.object({ report_key: text, report_id: text, run_id: text, created_at: isoTime, report: text }),
});

export const reportPrevious = defineQuery({
  name: 'report_previous',
  params: z.object({ current: z.string(), target: z.string(), cluster: clusterParam, before: time }),
  row: z.object({ report_key: text, report_id: text, report: text }),
});
