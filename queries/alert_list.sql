-- Alerts raised after {since} (newest first), for `radar alerts list`, with the latest delivery
-- outcome per sink as [sink, outcome, attempts, error]. {cluster} '' means every cluster.
SELECT
    a.alert_id AS alert_id,
    a.created_at AS created_at,
    a.cluster AS cluster,
    a.cluster_version AS cluster_version,
    a.client_name AS client_name,
    a.client_version AS client_version,
    a.api_group AS api_group,
    a.resource AS resource,
    a.severity AS severity,
    a.requests AS requests,
    a.sinks AS sinks,
    arrayFilter(x -> x.1 != '', groupArray((d.sink, d.outcome, toString(d.attempts), d.error))) AS deliveries
FROM
(
    SELECT alert_id, any(created_at) AS created_at, any(cluster) AS cluster, any(cluster_version) AS cluster_version,
           any(client_name) AS client_name, any(client_version) AS client_version, any(api_group) AS api_group,
           any(resource) AS resource, any(severity) AS severity, any(requests) AS requests, any(sinks) AS sinks
    FROM alerts
    WHERE created_at > {since:DateTime64(3, 'UTC')}
      AND ({cluster:String} = '' OR cluster = {cluster:String})
    GROUP BY alert_id
) AS a
LEFT JOIN
(
    SELECT alert_id, sink, argMax(outcome, at) AS outcome, argMax(attempts, at) AS attempts, argMax(error, at) AS error
    FROM alert_deliveries
    WHERE at > {since:DateTime64(3, 'UTC')}
    GROUP BY alert_id, sink
) AS d
ON d.alert_id = a.alert_id
GROUP BY alert_id, created_at, cluster, cluster_version, client_name, client_version, api_group, resource, severity, requests, sinks
ORDER BY created_at DESC, alert_id
LIMIT {limit:UInt32}
