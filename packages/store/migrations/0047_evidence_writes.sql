-- The writes the evidence queries replay (queries/evidence_counts.sql, evidence_drops.sql), in
-- one place: creates, updates and patches of the main resource that carried a body's paths,
-- dry runs left out, from history_from to `to`, with the target fields each one carried and
-- the object it is about (a 'group/resource' folded by the alias lists; with empty lists, the
-- one the request named). A parameterised view: evidence_writes(cluster = ..., resources = ...,
-- target_paths = ..., alias_keys = ..., alias_objects = ..., history_from = ..., to = ...).
CREATE VIEW IF NOT EXISTS evidence_writes {{on_cluster}} AS
SELECT
    audit_id, ts, ingested_at, verb, cluster, api_group, resource, namespace, name, username,
    user_agent, client_name, client_version, client_kube_minor, status_code, request_paths,
    -- the target fields it carried: small, cheap to carry through the evidence joins
    arrayIntersect(request_paths, {target_paths:Array(String)}) AS targets_set,
    request_paths_status IN ('complete', 'sampled') AS whole,
    transform(concat(api_group, '/', resource), {alias_keys:Array(String)},
              {alias_objects:Array(String)}, concat(api_group, '/', resource)) AS object
FROM audit_events
WHERE ({cluster:String} = '' OR cluster = {cluster:String})
  AND resource IN {resources:Array(String)}
  AND verb IN ('create', 'update', 'patch')
  AND subresource = ''
  AND request_paths_status != ''
  AND ts >= {history_from:DateTime64(3, 'UTC')}
  AND ts <= {to:DateTime64(3, 'UTC')}
  AND position(request_uri, 'dryRun=') = 0;
