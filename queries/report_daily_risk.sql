-- report_daily_risk: the rows of rank_candidates, per UTC day, for the report's chart of risky
-- requests per client per day. Same parameters and filter as rank_candidates; the caller applies
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
FROM audit_daily
WHERE day BETWEEN toDate({from:DateTime64(3, 'UTC')}) AND toDate({to:DateTime64(3, 'UTC')})
  AND last_seen >= {from:DateTime64(3, 'UTC')}
  AND first_seen <= {to:DateTime64(3, 'UTC')}
  AND ({cluster:String} = '' OR cluster = {cluster:String})
  AND ({all_resources:UInt8} = 1 OR resource IN {resources:Array(String)})
  AND (
        has({gvr_keys:Array(String)}, concat(api_group, '/', api_version, '/', resource))
     OR has({gvr_keys:Array(String)}, concat(api_group, '/', api_version, '/*'))
     OR (verb = 'update' AND subresource = ''
         AND has({field_objects:Array(String)}, concat(api_group, '/', resource))
         AND (client_kube_minor = 0
              OR client_kube_minor < {field_max_since:Array(UInt16)}[indexOf({field_objects:Array(String)}, concat(api_group, '/', resource))]
              OR has({override_clients:Array(String)}, client_name)))
     OR (verb IN ('create', 'update', 'patch') AND subresource = ''
         AND has({storage_objects:Array(String)}, concat(api_group, '/', resource)))
  )
GROUP BY day, client_name, client_version, client_kube_minor, username,
         api_group, api_version, resource, subresource, verb
ORDER BY day
