-- clusters_emulation: per cluster, the requests to group/version/resources a control-plane binary
-- serves by default (gvr_keys 'group/version/resource', picked from the catalog by
-- packages/upgrade/src/emulation.ts), and how they were answered: an emulated version
-- (--emulated-version, KEP-4330) below the minor that added one answers 404 for it.
--   answered     requests with a response (status > 0)
--   not_found    of those, answered 404
--   collection   of the 404s, list/watch ones: a served resource never answers them 404 (a get
--                of a missing object does), so only these count as evidence of an unserved API
--   succeeded    answered 2xx: the API is served
-- Each cluster counts from its own start (starts_ms, Unix milliseconds, one per clusters entry):
-- when its binary's minor ran alone, after the roll to it (before, an older binary's 404s are no
-- evidence). Parameters: clusters (Array(String)), starts_ms (Array(Int64)), from (the earliest
-- start), to (DateTime64(3, 'UTC')), groups, resources (of the keys), gvr_keys (Array(String)).
SELECT
    cluster, api_group, api_version, resource,
    uniqExactIf(audit_id, status_code > 0) AS answered,
    uniqExactIf(audit_id, status_code = 404) AS not_found,
    uniqExactIf(audit_id, status_code = 404 AND verb IN ('list', 'watch')) AS collection,
    uniqExactIf(audit_id, status_code >= 200 AND status_code < 300) AS succeeded,
    arraySort(groupUniqArrayIf(5)(audit_id, status_code = 404 AND verb IN ('list', 'watch'))) AS sample_ids
FROM audit_events
WHERE cluster IN {clusters:Array(String)}
  -- The sorting key's (cluster, api_group, resource) narrow the read to the probes' ranges.
  AND api_group IN {groups:Array(String)}
  AND resource IN {resources:Array(String)}
  AND concat(api_group, '/', api_version, '/', resource) IN {gvr_keys:Array(String)}
  AND subresource = ''
  AND ts >= {from:DateTime64(3, 'UTC')}
  AND ts <= {to:DateTime64(3, 'UTC')}
  AND toUnixTimestamp64Milli(ts) >= {starts_ms:Array(Int64)}[indexOf({clusters:Array(String)}, cluster)]
GROUP BY cluster, api_group, api_version, resource
ORDER BY cluster, api_group, api_version, resource
