import { z } from 'zod';
import { defineQuery } from '../query.js';
import { clientResource, clusterParam, count, isoTime, strings, text, texts, time } from './common.js';

const scope = {
  from: time,
  to: time,
  cluster: clusterParam,
  resources: strings,
  paths: strings,
};

/** Who updates which resource with which client, and the watched fields each was seen sending. */
export const guardLearn = defineQuery({
  name: 'guard_learn',
  params: z.object(scope),
  row: z.object({
    username: text,
    api_group: text,
    resource: text,
    client_name: text,
    client_version: text,
    client_kube_minor: count,
    updates: count,
    paths: texts,
  }),
});

/** Stored full updates of watched resources, per user, namespace and client, for `guard simulate`. */
export const guardSimulate = defineQuery({
  name: 'guard_simulate',
  params: z.object(scope),
  row: z.object({
    username: text,
    user_groups: texts,
    namespace: text,
    api_group: text,
    api_version: text,
    resource: text,
    client_name: text,
    client_version: text,
    client_kube_minor: count,
    updates: count,
    with_body: count,
    without_path: z.array(count),
  }),
});

/** The guard's verdicts over a window, from the guard_verdicts_hourly rollup (rank and report evidence). */
export const guardVerdicts = defineQuery({
  name: 'guard_verdicts',
  params: z.object({ from: time, to: time, cluster: clusterParam }),
  row: z.object({
    ...clientResource,
    verdict: text,
    fields: text,
    requests: count,
    objects: count,
    sample_ids: texts,
    first_at: isoTime,
    last_at: isoTime,
  }),
});
