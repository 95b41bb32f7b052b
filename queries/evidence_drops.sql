-- evidence_drops: full updates (PUT) stored since the last alert check that wiped a field another
-- write had set: the body left the field out (request_paths_status complete or sampled), the
-- update succeeded, and the latest earlier write about the field on the same object had set it
-- (a create or update carrying it, or a patch setting it, by any client). Used by alert checks
-- (packages/alerts): an observed drop is alerted at once, whatever the client's version.
-- Only objects updated in the check window are read, back to history_from for their state, and
-- only the (object, field) pairs some write set are replayed: the replay of evidence_counts
-- (evidence_states, migration 0052).
-- Parameters:
--   from, to        ingested_at window of the check (after the watermark, up to now - grace)
--   min_ts          events older than this by their own time are not alerted on (backfills)
--   history_from    earlier writes from here on tell what each object held
--   cluster         one cluster, or '' for all
--   resources       resources named in the targets
--   target_paths    catalog paths of the targets
--   keys            the targets as '<group/resource as requests name it>|<path>'
--   max_objects     objects listed per row
SELECT
    cluster,
    client_name,
    client_version,
    client_kube_minor,
    api_group,
    resource,
    path,
    uniqExact(audit_id) AS dropped,
    groupUniqArray({max_objects:UInt32})(concat(namespace, '/', name)) AS objects,
    groupUniqArray(10)(username) AS users,
    groupUniqArray(5)(user_agent) AS user_agents,
    groupUniqArray(20)(namespace) AS namespaces,
    groupUniqArray(5)(audit_id) AS sample_ids,
    min(ts) AS first_seen,
    max(ts) AS last_seen
-- migration 0052 (no aliases: objects as requests name them; no upper bound on ts), only objects
-- updated in the check window
FROM evidence_states(
    cluster = {cluster:String}, resources = {resources:Array(String)},
    target_paths = {target_paths:Array(String)}, alias_keys = [], alias_objects = [],
    history_from = {history_from:DateTime64(3, 'UTC')}, to = '2299-12-31 23:59:59.999',
    keys = {keys:Array(String)}, changed_only = 1,
    changed_from = {from:DateTime64(3, 'UTC')}, changed_to = {to:DateTime64(3, 'UTC')})
WHERE verb = 'update'
  AND ingested_at > {from:DateTime64(3, 'UTC')}
  AND ingested_at <= {to:DateTime64(3, 'UTC')}
  AND ts >= {min_ts:DateTime64(3, 'UTC')}
  AND NOT has_path AND whole AND ok AND prev_set = 1
GROUP BY cluster, client_name, client_version, client_kube_minor, api_group, resource, path
ORDER BY cluster, client_name, client_version, api_group, resource, path
