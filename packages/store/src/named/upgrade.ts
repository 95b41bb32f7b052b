import { z } from 'zod';
import { defineQuery } from '../query.js';
import { clusterParam, count, isoTime, strings, text, texts, time } from './common.js';

const limit = z.number().int().min(1).max(1_000_000);

/** Control-plane and kubelet versions per cluster over the window (cluster_versions_hourly). */
export const clustersVersions = defineQuery({
  name: 'clusters_versions',
  params: z.object({ from: time, to: time, cluster: clusterParam }),
  row: z.object({
    cluster: text,
    component: text,
    version: text,
    apiserver: text,
    apiserver_version: text,
    requests: count,
    nodes: count,
    first_seen: isoTime,
    last_seen: isoTime,
  }),
});

/** Requests to default-served group/version/resources and how they were answered (emulated version). */
export const clustersEmulation = defineQuery({
  name: 'clusters_emulation',
  params: z.object({
    clusters: strings,
    starts_ms: z.array(z.number().int()).readonly(),
    from: time,
    to: time,
    groups: strings,
    resources: strings,
    gvr_keys: strings,
  }),
  row: z.object({
    cluster: text,
    api_group: text,
    api_version: text,
    resource: text,
    answered: count,
    not_found: count,
    collection: count,
    succeeded: count,
    sample_ids: texts,
  }),
});

/** Writes through the older apiservers of a mixed-version window, on resources with changed fields. */
export const upgradeMixedWrites = defineQuery({
  name: 'upgrade_mixed_writes',
  params: z.object({
    cluster: clusterParam,
    start: time,
    end: time,
    resources: strings,
    keys: strings,
    older_apiservers: strings,
    limit,
  }),
  row: z.object({
    api_group: text,
    resource: text,
    namespace: text,
    client_name: text,
    apiserver: text,
    writes: count,
    sample_ids: texts,
  }),
});

const rateScope = { cluster: clusterParam, from: time, to: time, resources: strings, keys: strings };

/** Writes of the changed resources by hour of the week, for the roll plan. */
export const upgradeWriteRates = defineQuery({
  name: 'upgrade_write_rates',
  params: z.object(rateScope),
  row: z.object({ hour_of_week: count, writes: count }),
});

/** Whose writes to hold during the quietest window: the largest writers in those hours. */
export const upgradeHold = defineQuery({
  name: 'upgrade_hold',
  params: z.object({ ...rateScope, hours: z.array(z.number().int().min(0).max(167)).readonly(), limit }),
  row: z.object({ api_group: text, resource: text, namespace: text, writes: count }),
});

const since = { cluster: clusterParam, since: time, to: time, resources: strings, limit };

/** Objects written since the upgrade through new group/versions or after a storage-version move. */
export const rollbackObjects = defineQuery({
  name: 'rollback_objects',
  params: z.object({ ...since, gvr_keys: strings, gr_keys: strings }),
  row: z.object({
    risk: z.enum(['new-group-version', 'storage-version-moved', 'not-migrated']),
    api_group: text,
    api_version: text,
    resource: text,
    namespace: text,
    objects: count,
    names: texts,
    writes: count,
    sample_ids: texts,
  }),
});

/** Fields added by the upgrade that writers have set since (a rollback drops them). */
export const rollbackAddedFields = defineQuery({
  name: 'rollback_added_fields',
  params: z.object({ ...since, keys: strings }),
  row: z.object({
    api_group: text,
    resource: text,
    path: text,
    client_name: text,
    writes: count,
    sample_id: text,
  }),
});
