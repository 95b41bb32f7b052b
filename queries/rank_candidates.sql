-- rank_candidates: rollup rows that can carry risk for one upgrade, merged over the window's days,
-- or per UTC day (by_day = 1) for the report's chart of risky requests per client per day: one
-- statement for both, so the chart and the ranking can never disagree on which traffic counts.
-- Reads audit_daily through the rank_candidate_rows view (never raw audit_events), so its cost grows with clients x resources x users,
-- not with the number of requests. The caller (packages/ranking) decides per row which changes
-- apply, after the policy's allowlist and version overrides; this query only narrows the rows.
-- Parameters:
--   by_day           1: one row per UTC day (day) with requests and user_agents only; 0: merged
--                    over the window (day = 1970-01-01)
--   from, to         the window; rows whose events all fall outside it are skipped (day granularity
--                    otherwise: a day partly inside the window counts whole)
--   cluster          one cluster, or '' for all
--   resources        every resource named below (lets the primary key skip the rest)
--   all_resources    1 when a whole group/version is removed or deprecated (resources can't narrow)
--   gvr_keys         'group/version/resource' (or 'group/version/*') removed or deprecated <= target
--   field_objects    'group/resource' with a field added or a default changed in (current, target]
--   field_max_since  per field_objects entry, the newest such change's minor: a client at or above
--                    it cannot lose fields there (unless its version is overridden)
--   override_clients clients with a version override in the policy (their own minor is not trusted)
--   storage_objects  'group/resource' whose storage version moves in (current, target]
-- Example by hand (clickhouse-client):
--   SET param_by_day=0, param_from='2026-01-01 00:00:00', param_to='2026-01-08 00:00:00', param_cluster='',
--       param_resources=['cronjobs'], param_gvr_keys=['batch/v1beta1/cronjobs'],
--       param_field_objects=[], param_storage_objects=[];
SELECT
    if({by_day:UInt8} = 1, day, toDate(0)) AS day,
    client_name,
    client_version,
    client_kube_minor,
    username,
    api_group,
    api_version,
    resource,
    subresource,
    verb,
    uniqMerge(requests) AS requests,
    groupUniqArrayMerge(5)(user_agents) AS user_agents,
    -- per day the chart needs only the above: these stay 0/[]/1970 there rather than cost a
    -- merge per day (the report read 37k day rows 2x slower with them, docs/performance.md)
    uniqMergeIf(objects, {by_day:UInt8} = 0) AS objects,
    groupUniqArrayMergeIf(20)(namespaces, {by_day:UInt8} = 0) AS namespaces,
    groupUniqArrayMergeIf(5)(sample_ids, {by_day:UInt8} = 0) AS sample_ids,
    minIf(first_seen, {by_day:UInt8} = 0) AS first_at,
    maxIf(last_seen, {by_day:UInt8} = 0) AS last_at
FROM rank_candidate_rows(
    from = {from:DateTime64(3, 'UTC')}, to = {to:DateTime64(3, 'UTC')}, cluster = {cluster:String},
    all_resources = {all_resources:UInt8}, resources = {resources:Array(String)},
    gvr_keys = {gvr_keys:Array(String)}, field_objects = {field_objects:Array(String)},
    field_max_since = {field_max_since:Array(UInt16)}, override_clients = {override_clients:Array(String)},
    storage_objects = {storage_objects:Array(String)})
GROUP BY day, client_name, client_version, client_kube_minor, username,
         api_group, api_version, resource, subresource, verb
