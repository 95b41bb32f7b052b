-- rank_candidates: rollup rows that can carry risk for one upgrade, merged over the window's days.
-- Reads audit_daily (never raw audit_events), so its cost grows with clients x resources x users,
-- not with the number of requests. The caller (packages/ranking) decides per row which changes
-- apply, after the policy's allowlist and version overrides; this query only narrows the rows.
-- Parameters:
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
--   SET param_from='2026-01-01 00:00:00', param_to='2026-01-08 00:00:00', param_cluster='',
--       param_resources=['cronjobs'], param_gvr_keys=['batch/v1beta1/cronjobs'],
--       param_field_objects=[], param_storage_objects=[];
SELECT
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
    uniqMerge(objects) AS objects,
    groupUniqArrayMerge(20)(namespaces) AS namespaces,
    groupUniqArrayMerge(5)(user_agents) AS user_agents,
    groupUniqArrayMerge(5)(sample_ids) AS sample_ids,
    min(first_seen) AS first_at,
    max(last_seen) AS last_at
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
GROUP BY client_name, client_version, client_kube_minor, username,
         api_group, api_version, resource, subresource, verb
