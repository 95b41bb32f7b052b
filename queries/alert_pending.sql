-- The alert outbox: alerts created after {since} whose delivery to one of their sinks (among the
-- currently configured {sinks}) has no outcome yet or last failed transiently. Rejected (4xx) and
-- delivered ones are done. tries = delivery series already recorded for that alert and sink.
SELECT
    a.alert_id AS alert_id,
    a.sink AS sink,
    a.payload AS payload,
    a.first_created AS created_at,
    d.tries AS tries
FROM
(
    SELECT alert_id, any(payload) AS payload, min(created_at) AS first_created, arrayJoin(any(sinks)) AS sink
    FROM alerts
    WHERE created_at > {since:DateTime64(3, 'UTC')}
    GROUP BY alert_id
) AS a
LEFT JOIN
(
    SELECT alert_id, sink, argMax(outcome, at) AS last_outcome, count() AS tries
    FROM alert_deliveries
    WHERE at > {since:DateTime64(3, 'UTC')}
    GROUP BY alert_id, sink
) AS d
ON d.alert_id = a.alert_id AND d.sink = a.sink
WHERE has({sinks:Array(String)}, a.sink)
  AND (d.last_outcome = '' OR d.last_outcome = 'failed')
ORDER BY a.first_created, a.alert_id, a.sink
LIMIT {limit:UInt32}
