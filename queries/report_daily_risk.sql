-- report_daily_risk: the rows of rank_candidates, per UTC day, for the report's chart of risky
-- requests per client per day. Same parameters and filter as rank_candidates (the rank_candidate_rows view); the caller applies
-- the same per-row risk decision and sums the risky rows per client and day.
SELECT
    day,
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
    groupUniqArrayMerge(5)(user_agents) AS user_agents
FROM rank_candidate_rows(
    from = {from:DateTime64(3, 'UTC')}, to = {to:DateTime64(3, 'UTC')}, cluster = {cluster:String},
    all_resources = {all_resources:UInt8}, resources = {resources:Array(String)},
    gvr_keys = {gvr_keys:Array(String)}, field_objects = {field_objects:Array(String)},
    field_max_since = {field_max_since:Array(UInt16)}, override_clients = {override_clients:Array(String)},
    storage_objects = {storage_objects:Array(String)})
GROUP BY day, client_name, client_version, client_kube_minor, username,
         api_group, api_version, resource, subresource, verb
ORDER BY day
