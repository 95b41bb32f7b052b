-- guard_alert_verdicts: updates the admission guard refused (denied) or let through with a
-- warning (warned) that were STORED (ingested_at) in (from, to], for the guard alert kind
-- (packages/alerts/src/guard.ts). Like alert_candidates, the window is on ingested_at so late
-- events are still seen, and events older than {min_ts} by their own time (backfills) are not
-- alerted on. Requests and objects count distinct audit IDs and objects, so stages and replays
-- count once. One row per cluster, client, user, group/resource, verdict and fields.
-- Parameters:
--   from, to   ingested_at window of the check (after the watermark, up to now - grace)
--   min_ts     events older than this by their own time are not alerted on
--   cluster    one cluster, or '' for all
SELECT
    cluster,
    client_name,
    client_version,
    client_kube_minor,
    username,
    api_group,
    resource,
    guard_verdict AS verdict,
    guard_fields AS fields,
    uniqExact(audit_id) AS requests,
    uniqExact(namespace, name) AS objects,
    groupUniqArray(10)(namespace) AS namespaces,
    groupUniqArray(5)(user_agent) AS user_agents,
    groupUniqArray(5)(api_version) AS api_versions,
    groupUniqArray(5)(audit_id) AS sample_ids,
    min(ts) AS first_seen,
    max(ts) AS last_seen
FROM audit_events
WHERE ingested_at > {from:DateTime64(3, 'UTC')}
  AND ingested_at <= {to:DateTime64(3, 'UTC')}
  AND ts >= {min_ts:DateTime64(3, 'UTC')}
  AND ({cluster:String} = '' OR cluster = {cluster:String})
  AND guard_verdict IN ('denied', 'warned')
GROUP BY cluster, client_name, client_version, client_kube_minor, username, api_group, resource, verdict, fields
ORDER BY cluster, client_name, client_version, api_group, resource, verdict, username, fields
