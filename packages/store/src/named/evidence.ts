import { z } from 'zod';
import { defineQuery } from '../query.js';
import { clusterParam, count, isoTime, strings, text, texts, time } from './common.js';

const maxObjects = z.number().int().min(1).max(1000);

export const evidenceCounts = defineQuery({
  name: 'evidence_counts',
  params: z.object({
    from: time,
    to: time,
    history_from: time,
    cluster: clusterParam,
    resources: strings,
    alias_keys: strings,
    alias_objects: strings,
    target_objects: strings,
    target_paths: strings,
    keys: strings,
    max_objects: maxObjects,
  }),
  row: z.object({
    client_name: text,
    client_version: text,
    object: text,
    path: text,
    set: count,
    omitted: count,
    dropped: count,
    drop_objects: texts,
    drop_samples: texts,
  }),
});

export const evidenceSetFields = defineQuery({
  name: 'evidence_set_fields',
  params: z.object({
    from: time,
    to: time,
    cluster: clusterParam,
    resources: strings,
    alias_keys: strings,
    alias_objects: strings,
    keys: strings,
  }),
  row: z.object({
    client_name: text,
    username: text,
    object: text,
    path: text,
    requests: count,
    sample_id: text,
  }),
});

export const evidenceDrops = defineQuery({
  name: 'evidence_drops',
  params: z.object({
    from: time,
    to: time,
    min_ts: time,
    history_from: time,
    cluster: clusterParam,
    resources: strings,
    target_paths: strings,
    keys: strings,
    max_objects: maxObjects,
  }),
  row: z.object({
    cluster: text,
    client_name: text,
    client_version: text,
    client_kube_minor: count,
    api_group: text,
    resource: text,
    path: text,
    dropped: count,
    objects: texts,
    users: texts,
    user_agents: texts,
    namespaces: texts,
    sample_ids: texts,
    first_seen: isoTime,
    last_seen: isoTime,
  }),
});

export const evidencePolicyVolume = defineQuery({
  name: 'evidence_policy_volume',
  params: z.object({ from: time, to: time, cluster: clusterParam, kinds: strings }),
  row: z.object({ day: text, events: count, updates: count, patches: count, percent_with_body: count }),
});
