-- rollback_added_fields: fields added in (from, to] that writers set since the upgrade (field
-- evidence: the paths of their writes), per resource, path and client: a rollback drops them.
-- At most `limit` rows (the caller says when the list was cut).
-- Parameters: cluster ('' = all), since, to (DateTime64(3, 'UTC')), resources (plurals),
--   keys ('group/resource|path').
SELECT
    api_group, resource, path, client_name,
    uniqExact(audit_id) AS writes,
    min(audit_id) AS sample_id
FROM audit_events
ARRAY JOIN request_paths AS path
WHERE ({cluster:String} = '' OR cluster = {cluster:String})
  AND resource IN {resources:Array(String)}
  AND verb IN ('create', 'update', 'patch')
  AND subresource = ''
  AND notEmpty(request_paths)
  AND status_code < 400
  AND ts >= {since:DateTime64(3, 'UTC')}
  AND ts <= {to:DateTime64(3, 'UTC')}
  AND concat(api_group, '/', resource, '|', path) IN {keys:Array(String)}
GROUP BY api_group, resource, path, client_name
ORDER BY api_group, resource, path, client_name
LIMIT {limit:UInt32}
