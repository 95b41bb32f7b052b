-- guard_simulate: stored full updates (verb update, no subresource) of the resources the guard
-- watches, per user, namespace, group/version/resource and client, for `radar guard simulate`
-- (docs/guard.md). Where the audit policy recorded request bodies (request_paths), also how many
-- of those bodies lacked each watched path: a full update without the field drops it, if the
-- object had it (the stored paths cannot say; the live guard compares old and new objects).
-- Parameters:
--   from, to     DateTime64(3, 'UTC') window (--since)
--   cluster      one cluster, or '' for all
--   resources    resources with watched fields
--   paths        watched field paths; without_path[i] counts bodies lacking paths[i]
SELECT
    username,
    any(user_groups) AS user_groups,
    namespace,
    api_group,
    api_version,
    resource,
    client_name,
    client_version,
    client_kube_minor,
    uniqExact(audit_id) AS updates,
    uniqExactIf(audit_id, notEmpty(request_paths)) AS with_body,
    sumForEach(arrayMap(p -> toUInt64(notEmpty(request_paths) AND NOT has(request_paths, p)),
                        {paths:Array(String)})) AS without_path
FROM audit_events FINAL
WHERE ({cluster:String} = '' OR cluster = {cluster:String})
  AND resource IN {resources:Array(String)}
  AND verb = 'update'
  AND subresource = ''
  AND ts >= {from:DateTime64(3, 'UTC')}
  AND ts <= {to:DateTime64(3, 'UTC')}
GROUP BY username, namespace, api_group, api_version, resource, client_name, client_version, client_kube_minor
ORDER BY updates DESC, username, namespace
LIMIT 100000
