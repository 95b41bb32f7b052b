-- evidence_drops: full updates (PUT) stored since the last alert check that wiped a field another
-- write had set: the body left the field out (request_paths_status complete or sampled), the
-- update succeeded, and the latest earlier write about the field on the same object had set it
-- (a create or update carrying it, or a patch setting it, by any client). Used by alert checks
-- (packages/alerts): an observed drop is alerted at once, whatever the client's version.
-- Only objects updated in the check window are read, back to history_from for their state.
-- Parameters:
--   from, to        ingested_at window of the check (after the watermark, up to now - grace)
--   min_ts          events older than this by their own time are not alerted on (backfills)
--   history_from    earlier writes from here on tell what each object held
--   cluster         one cluster, or '' for all
--   resources       resources named in the targets
--   target_objects/target_paths  parallel: 'group/resource' as requests name it, and a catalog path
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
FROM
(
    SELECT
        *,
        anyLast(state) OVER (
            PARTITION BY cluster, api_group, resource, namespace, name, path
            ORDER BY ts, audit_id
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ) AS prev_set
    FROM
    (
        SELECT
            audit_id, ts, ingested_at, verb, cluster, api_group, resource, namespace, name, username,
            user_agent, client_name, client_version, client_kube_minor, path,
            has(request_paths, path) AS has_path,
            request_paths_status IN ('complete', 'sampled') AS whole,
            status_code < 400 AS ok,
            if(ok AND (has_path OR (verb IN ('create', 'update') AND whole)), toNullable(toUInt8(has_path)), NULL) AS state
        FROM
        (
            SELECT *
            FROM audit_events
            WHERE ({cluster:String} = '' OR cluster = {cluster:String})
              AND resource IN {resources:Array(String)}
              AND verb IN ('create', 'update', 'patch')
              AND subresource = ''
              AND request_paths_status != ''
              AND ts >= {history_from:DateTime64(3, 'UTC')}
              AND position(request_uri, 'dryRun=') = 0
              AND (cluster, api_group, resource, namespace, name) IN (
                  SELECT cluster, api_group, resource, namespace, name
                  FROM audit_events
                  WHERE ({cluster:String} = '' OR cluster = {cluster:String})
                    AND resource IN {resources:Array(String)}
                    AND verb = 'update'
                    AND ingested_at > {from:DateTime64(3, 'UTC')}
                    AND ingested_at <= {to:DateTime64(3, 'UTC')}
              )
        )
        ARRAY JOIN arrayFilter((p, o) -> o = concat(api_group, '/', resource),
                               {target_paths:Array(String)}, {target_objects:Array(String)}) AS path
    )
)
WHERE verb = 'update'
  AND ingested_at > {from:DateTime64(3, 'UTC')}
  AND ingested_at <= {to:DateTime64(3, 'UTC')}
  AND ts >= {min_ts:DateTime64(3, 'UTC')}
  AND NOT has_path AND whole AND ok AND prev_set = 1
GROUP BY cluster, client_name, client_version, client_kube_minor, api_group, resource, path
ORDER BY cluster, client_name, client_version, api_group, resource, path
