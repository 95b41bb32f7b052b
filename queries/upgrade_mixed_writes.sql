-- upgrade_mixed_writes: during the mixed-version window of an upgrade, the writes (update and
-- patch: a full object re-sent, or a patch applied by the old apiserver's types) on resources the
-- upgrade changes fields of, per resource, namespace, client and serving apiserver, with example
-- audit IDs. Writes served by an older apiserver drop fields a newer one stored.
-- At most `limit` rows (the caller says when the list was cut).
-- Parameters:
--   cluster            one cluster, or '' for all
--   start, end         DateTime64(3, 'UTC'): the window in which both versions served
--   resources          resource plurals of the changed resources (lets the sorting key skip the rest)
--   keys               'group/resource' of the changed resources
--   older_apiservers   identities of the older apiservers; [] = any (the sources did not name them)
SELECT
    api_group, resource, namespace, client_name, apiserver,
    uniqExact(audit_id) AS writes,
    groupUniqArray(5)(audit_id) AS sample_ids
FROM audit_events
WHERE ({cluster:String} = '' OR cluster = {cluster:String})
  AND resource IN {resources:Array(String)}
  AND verb IN ('update', 'patch')
  AND ts >= {start:DateTime64(3, 'UTC')}
  AND ts <= {end:DateTime64(3, 'UTC')}
  AND concat(api_group, '/', resource) IN {keys:Array(String)}
  AND (empty({older_apiservers:Array(String)}) OR apiserver IN {older_apiservers:Array(String)})
  AND status_code < 400
GROUP BY api_group, resource, namespace, client_name, apiserver
ORDER BY writes DESC, api_group, resource, namespace, client_name, apiserver
LIMIT {limit:UInt32}
