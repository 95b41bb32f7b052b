-- guard_learn: who updates what with which client, for `radar guard` (docs/guard.md). One row per
-- (user, group, resource, client name, client version): its full updates in the window and the
-- watched field paths that client sent in any write of the resource (field evidence: a client
-- that sends a field knows it, whatever its user agent says). The guard keeps this in memory and
-- refreshes it in the background; no query runs on the admission path.
-- Parameters:
--   from, to     DateTime64(3, 'UTC') window (--learn)
--   cluster      one cluster, or '' for all
--   resources    resources with watched fields (lets the sorting key skip the rest)
--   paths        watched field paths (catalog syntax, as request_paths stores them)
SELECT
    username,
    api_group,
    resource,
    client_name,
    client_version,
    client_kube_minor,
    uniqExactIf(audit_id, verb = 'update') AS updates,
    groupUniqArrayArray(200)(arrayFilter(p -> has({paths:Array(String)}, p), request_paths)) AS paths
FROM audit_events
WHERE ({cluster:String} = '' OR cluster = {cluster:String})
  AND resource IN {resources:Array(String)}
  AND verb IN ('create', 'update', 'patch')
  AND subresource = ''
  AND ts >= {from:DateTime64(3, 'UTC')}
  AND ts <= {to:DateTime64(3, 'UTC')}
GROUP BY username, api_group, resource, client_name, client_version, client_kube_minor
ORDER BY username, api_group, resource, client_name, client_version
