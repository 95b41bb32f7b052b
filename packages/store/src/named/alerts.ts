import { z } from 'zod';
import { defineQuery } from '../query.js';
import { clientResource, clusterParam, count, isoTime, strings, text, texts, time } from './common.js';

export const alertCandidates = defineQuery({
  name: 'alert_candidates',
  params: z.object({
    from: time,
    to: time,
    min_ts: time,
    cluster: clusterParam,
    max_client_minor: z.number().int().min(0).max(65_535),
    field_resources: strings,
    removed: strings,
    /** 1: the guard's denied and warned updates instead (its alert kind). */
    guard: z.number().int().min(0).max(1),
  }),
  row: z.object({
    cluster: text,
    ...clientResource,
    verb: text,
    full_update: count,
    verdict: text,
    fields: text,
    requests: count,
    objects: count,
    namespaces: texts,
    user_agents: texts,
    sample_ids: texts,
    first_seen: isoTime,
    last_seen: isoTime,
  }),
});

export const alertList = defineQuery({
  name: 'alert_list',
  params: z.object({ since: time, cluster: clusterParam, limit: z.number().int().min(1).max(1_000_000) }),
  row: z.object({
    alert_id: text,
    created_at: isoTime,
    cluster: text,
    cluster_version: text,
    client_name: text,
    client_version: text,
    api_group: text,
    resource: text,
    severity: text,
    requests: count,
    sinks: texts,
    /** [sink, outcome, attempts, error] of the latest delivery per sink. */
    deliveries: z.array(z.tuple([text, text, text, text])),
  }),
});

export const alertPending = defineQuery({
  name: 'alert_pending',
  params: z.object({ since: time, sinks: strings, limit: z.number().int().min(1).max(1_000_000) }),
  row: z.object({ alert_id: text, sink: text, payload: text, created_at: isoTime, tries: count }),
});

export const alertRecentKeys = defineQuery({
  name: 'alert_recent_keys',
  params: z.object({ since: time, keys: strings }),
  row: z.object({ key: text }),
});

export const alertWatermark = defineQuery({
  name: 'alert_watermark',
  params: z.object({ scope: z.string() }),
  row: z.object({ checked: count, watermark: isoTime }),
});
