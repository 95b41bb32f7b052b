-- evidence_set_fields: which catalog fields each client (name + user) actually sent, from the
-- paths of its writes (create, update, patch; any outcome: a request carrying a field proves the
-- client's types know it). A field introduced in Kubernetes 1.X proves the client was built
-- against 1.X or later (packages/ranking/src/evidence/infer.ts turns this into a lower bound).
-- Parameters:
--   from, to        DateTime64(3, 'UTC') window
--   cluster         one cluster, or '' for all
--   resources       resources of the catalog fields (lets the sorting key skip the rest)
--   alias_keys/alias_objects  'group/resource' as called -> canonical 'group/resource'
--   keys            '<canonical group/resource>|<path>' of the catalog fields to look for
SELECT
    client_name,
    username,
    object,
    path,
    uniqExact(audit_id) AS requests,
    any(audit_id) AS sample_id
FROM
(
    SELECT
        audit_id, client_name, username, request_paths,
        transform(concat(api_group, '/', resource), {alias_keys:Array(String)},
                  {alias_objects:Array(String)}, concat(api_group, '/', resource)) AS object
    FROM audit_events
    WHERE ({cluster:String} = '' OR cluster = {cluster:String})
      AND resource IN {resources:Array(String)}
      AND verb IN ('create', 'update', 'patch')
      AND subresource = ''
      AND notEmpty(request_paths)
      AND ts >= {from:DateTime64(3, 'UTC')}
      AND ts <= {to:DateTime64(3, 'UTC')}
)
ARRAY JOIN request_paths AS path
WHERE concat(object, '|', path) IN {keys:Array(String)}
GROUP BY client_name, username, object, path
ORDER BY client_name, username, object, path
