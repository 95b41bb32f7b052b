-- rollback_objects: for a done upgrade, the objects a rollback would trip on, per resource and
-- namespace, with names (up to 50) and example audit IDs:
--   new-group-version      created or written since the upgrade through a group/version the old
--                          release does not serve (gvr_keys 'group/version/resource')
--   storage-version-moved  written since the upgrade on a resource whose storage version moved
--                          (gr_keys 'group/resource'): stored in a version the old release may not read
--   not-migrated           of those resources, objects last written before the upgrade and not
--                          since (still in the old storage version: migrate before the next upgrade)
-- Only objects that were written in the retained history are known (docs/rollback.md).
-- At most `limit` rows (the caller says when the list was cut).
-- Parameters: cluster ('' = all), since, to (DateTime64(3, 'UTC')), resources (plurals),
--   gvr_keys, gr_keys (Array(String)).
SELECT
    risk, api_group, if(risk = 'new-group-version', gv, '') AS api_version, resource, namespace,
    uniqExact(name) AS objects,
    arraySort(groupUniqArray(50)(name)) AS names,
    sum(writes_since) AS writes,
    arraySlice(arraySort(arrayDistinct(arrayFlatten(groupArray(5)(samples)))), 1, 5) AS sample_ids
FROM
(
    SELECT
        api_group,
        if(concat(api_group, '/', api_version, '/', resource) IN {gvr_keys:Array(String)}, api_version, '') AS gv,
        resource, namespace, name,
        maxIf(ts, concat(api_group, '/', api_version, '/', resource) IN {gvr_keys:Array(String)}) AS last_new_gv,
        max(ts) AS last_write,
        countIf(ts >= {since:DateTime64(3, 'UTC')}) AS writes_since,
        groupUniqArrayIf(3)(audit_id, ts >= {since:DateTime64(3, 'UTC')}) AS samples,
        concat(api_group, '/', resource) IN {gr_keys:Array(String)} AS moved
    FROM audit_events
    WHERE ({cluster:String} = '' OR cluster = {cluster:String})
      AND resource IN {resources:Array(String)}
      AND verb IN ('create', 'update', 'patch')
      AND subresource = ''
      AND name != ''
      AND status_code < 400
      AND ts <= {to:DateTime64(3, 'UTC')}
    GROUP BY api_group, gv, resource, namespace, name
)
ARRAY JOIN
    arrayFilter(x -> x != '', [
        if(gv != '' AND last_new_gv >= {since:DateTime64(3, 'UTC')}, 'new-group-version', ''),
        if(moved AND writes_since > 0, 'storage-version-moved', ''),
        if(moved AND gv = '' AND writes_since = 0, 'not-migrated', '')
    ]) AS risk
GROUP BY risk, api_group, api_version, resource, namespace
ORDER BY risk, api_group, api_version, resource, namespace
LIMIT {limit:UInt32}
