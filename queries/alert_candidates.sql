-- Post-upgrade alert candidates: requests STORED (ingested_at) in (from, to] that can break on a
-- cluster at the version checked. The window is on ingested_at, not ts, so events that arrive
-- late are still seen by the next check; ts only has to be after {min_ts}, so a backfill of old
-- logs does not page anyone.
-- Kept: full updates (verb update on the main resource, no subresource: a status or scale write
-- does not carry the spec) from clients older than the cluster ({max_client_minor}; higher when a
-- policy may override versions) or of unknown version (client_kube_minor 0) on a group/resource in {field_resources} ('group/resource' with added
-- fields or changed defaults), and any request on a 'group/version/resource' in {removed}.
-- Full updates the admission guard refused (guard_verdict 'denied') changed nothing: they are
-- alerted as the guard's own denials, not here.
-- With {guard} 1, the same window gives the guard's own alert kind instead (packages/alerts/src/
-- guard.ts): every update it denied or warned about, whatever the client, one row per verdict and
-- fields too ({max_client_minor}, {field_resources} and {removed} are then unused).
-- One row per cluster, client, user, group, version, resource and verb (the user is what an
-- allowlist or owner map matches on); requests and objects count
-- distinct audit IDs and objects, so a request's stages and replays count once.
-- {cluster} '' means every cluster.
SELECT
    cluster,
    client_name,
    client_version,
    client_kube_minor,
    username,
    api_group,
    api_version,
    resource,
    verb,
    toUInt8(verb = 'update' AND subresource = '') AS full_update,
    if({guard:UInt8} = 1, guard_verdict, '') AS verdict,
    if({guard:UInt8} = 1, guard_fields, '') AS fields,
    uniqExact(audit_id) AS requests,
    uniqExact(namespace, name) AS objects,
    groupUniqArray(10)(namespace) AS namespaces,
    groupUniqArray(5)(user_agent) AS user_agents,
    groupUniqArray(5)(audit_id) AS sample_ids,
    min(ts) AS first_seen,
    max(ts) AS last_seen
FROM audit_events
WHERE ingested_at > {from:DateTime64(3, 'UTC')}
  AND ingested_at <= {to:DateTime64(3, 'UTC')}
  AND ts >= {min_ts:DateTime64(3, 'UTC')}
  AND ({cluster:String} = '' OR cluster = {cluster:String})
  AND if({guard:UInt8} = 1,
        guard_verdict IN ('denied', 'warned'),
        (verb = 'update' AND subresource = '' AND client_kube_minor < {max_client_minor:UInt16}
         AND guard_verdict != 'denied'
         AND has({field_resources:Array(String)}, concat(api_group, '/', resource)))
     OR has({removed:Array(String)}, concat(api_group, '/', api_version, '/', resource))
  )
GROUP BY cluster, client_name, client_version, client_kube_minor, username, api_group, api_version, resource, verb, full_update,
         verdict, fields
ORDER BY cluster, client_name, client_version, api_group, resource, api_version, verb, verdict, username, fields
