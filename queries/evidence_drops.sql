-- evidence_drops: full updates (PUT) stored since the last alert check that wiped a field another
-- write had set: the body left the field out (request_paths_status complete or sampled), the
-- update succeeded, and the latest earlier write about the field on the same object had set it
-- (a create or update carrying it, or a patch setting it, by any client). Used by alert checks
-- (packages/alerts): an observed drop is alerted at once, whatever the client's version.
-- Only objects updated in the check window are read, back to history_from for their state, and
-- only the (object, field) pairs some write set are replayed (the same plan as evidence_counts).
-- Parameters:
--   from, to        ingested_at window of the check (after the watermark, up to now - grace)
--   min_ts          events older than this by their own time are not alerted on (backfills)
--   history_from    earlier writes from here on tell what each object held
--   cluster         one cluster, or '' for all
--   resources       resources named in the targets
--   target_paths    catalog paths of the targets
--   keys            the targets as '<group/resource as requests name it>|<path>'
--   max_objects     objects listed per row
WITH writes AS
(
    -- migration 0047 (no aliases: objects as requests name them; no upper bound on ts), only
    -- objects updated in the check window
    SELECT *
    FROM evidence_writes(
        cluster = {cluster:String}, resources = {resources:Array(String)},
        target_paths = {target_paths:Array(String)}, alias_keys = [], alias_objects = [],
        history_from = {history_from:DateTime64(3, 'UTC')}, to = '2299-12-31 23:59:59.999')
    WHERE (cluster, api_group, resource, namespace, name) IN (
          SELECT cluster, api_group, resource, namespace, name
          FROM audit_events
          WHERE ({cluster:String} = '' OR cluster = {cluster:String})
            AND resource IN {resources:Array(String)}
            AND verb = 'update'
            AND ingested_at > {from:DateTime64(3, 'UTC')}
            AND ingested_at <= {to:DateTime64(3, 'UTC')}
      )
)
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
FROM
(
    SELECT
        *,
        anyLast(state) OVER (
            PARTITION BY cityHash64(cluster, object, namespace, name, path)
            ORDER BY ts, audit_id
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ) AS prev_set
    FROM
    (
        SELECT
            w.audit_id AS audit_id, w.ts AS ts, w.ingested_at AS ingested_at, w.verb AS verb,
            w.cluster AS cluster, w.api_group AS api_group, w.resource AS resource, w.object AS object,
            w.namespace AS namespace, w.name AS name, w.username AS username, w.user_agent AS user_agent,
            w.client_name AS client_name, w.client_version AS client_version,
            w.client_kube_minor AS client_kube_minor, f.path AS path,
            has(w.targets_set, f.path) AS has_path,
            w.whole AS whole,
            w.status_code < 400 AS ok,
            if(ok AND (has_path OR (w.verb IN ('create', 'update') AND whole)), toNullable(toUInt8(has_path)), NULL) AS state
        FROM writes AS w
        INNER JOIN
        (
            SELECT DISTINCT cluster, object, namespace, name, path
            FROM writes
            ARRAY JOIN request_paths AS path
            WHERE concat(object, '|', path) IN {keys:Array(String)}
        ) AS f ON f.cluster = w.cluster AND f.object = w.object
              AND f.namespace = w.namespace AND f.name = w.name
    )
)
WHERE verb = 'update'
  AND ingested_at > {from:DateTime64(3, 'UTC')}
  AND ingested_at <= {to:DateTime64(3, 'UTC')}
  AND ts >= {min_ts:DateTime64(3, 'UTC')}
  AND NOT has_path AND whole AND ok AND prev_set = 1
GROUP BY cluster, client_name, client_version, client_kube_minor, api_group, resource, path
ORDER BY cluster, client_name, client_version, api_group, resource, path
