-- Alerts raised after {since} (newest first), for `radar alerts list`, with the latest delivery
-- outcome per sink as [sink, outcome, attempts, error]. {cluster} '' means every cluster.
SELECT
    a.alert_id AS alert_id,
    a.first_created AS created_at,
    a.a_cluster AS cluster,
    a.a_cluster_version AS cluster_version,
    a.a_client_name AS client_name,
    a.a_client_version AS client_version,
    a.a_api_group AS api_group,
    a.a_resource AS resource,
    a.a_severity AS severity,
    a.a_requests AS requests,
    a.a_sinks AS sinks,
    arrayFilter(x -> x.1 != '', groupArray((d.sink, d.last_outcome, toString(d.last_attempts), d.last_error))) AS deliveries
FROM
(
    SELECT
        alert_id,
        min(created_at) AS first_created,
        any(cluster) AS a_cluster,
        any(cluster_version) AS a_cluster_version,
        any(client_name) AS a_client_name,
        any(client_version) AS a_client_version,
        any(api_group) AS a_api_group,
        any(resource) AS a_resource,
        any(severity) AS a_severity,
        any(requests) AS a_requests,
        any(sinks) AS a_sinks
    FROM alerts
    WHERE created_at > {since:DateTime64(3, 'UTC')}
      AND ({cluster:String} = '' OR cluster = {cluster:String})
    GROUP BY alert_id
) AS a
LEFT JOIN
(
    SELECT
        alert_id,
        sink,
        argMax(outcome, at) AS last_outcome,
        argMax(attempts, at) AS last_attempts,
        argMax(error, at) AS last_error
    FROM alert_deliveries
    WHERE at > {since:DateTime64(3, 'UTC')}
    GROUP BY alert_id, sink
) AS d
ON d.alert_id = a.alert_id
GROUP BY
    a.alert_id, a.first_created, a.a_cluster, a.a_cluster_version, a.a_client_name, a.a_client_version,
    a.a_api_group, a.a_resource, a.a_severity, a.a_requests, a.a_sinks
ORDER BY created_at DESC, alert_id
LIMIT {limit:UInt32}
