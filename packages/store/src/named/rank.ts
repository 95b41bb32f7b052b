import { z } from 'zod';
import { defineQuery } from '../query.js';
import { clusterParam, count, isoTime, strings, text, texts, time } from './common.js';

/** The parameters of the rank_candidate_rows view, shared by rank_candidates and report_daily_risk. */
export const candidateParams = z.object({
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
});

/** The columns both rank queries group by. */
export const rowKey = z.object({
  client_name: text,
  client_version: text,
  client_kube_minor: count,
  username: text,
  api_group: text,
  api_version: text,
  resource: text,
  subresource: text,
  verb: text,
  user_agents: texts,
});

export const rankCandidates = defineQuery({
  name: 'rank_candidates',
  params: candidateParams,
  row: rowKey.extend({
    requests: count,
    objects: count,
    namespaces: texts,
    sample_ids: texts,
    first_at: isoTime,
    last_at: isoTime,
  }),
});

export const reportDailyRisk = defineQuery({
  name: 'report_daily_risk',
  params: candidateParams,
  row: rowKey.extend({ day: text, requests: count }),
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
