-- rank_snapshot_trend: per client, its severity and risky requests in each hourly snapshot of an
-- upgrade pair, to see a client's risk go away (or not) over time. One snapshot per period
-- (the earliest when racing runs stored two). Parameters: current, target (e.g. '1.24', '1.25'),
-- cluster ('' = snapshots over all clusters), from, to (DateTime64(3, 'UTC') on window_to).
WITH snaps AS (
    SELECT period_key, argMin(window_to, (created_at, run_id)) AS at, argMin(result, (created_at, run_id)) AS result
    FROM rank_snapshots
    WHERE current = {current:String} AND target = {target:String} AND cluster = {cluster:String}
      AND window_to BETWEEN {from:DateTime64(3, 'UTC')} AND {to:DateTime64(3, 'UTC')}
    GROUP BY period_key
)
SELECT
    at,
    JSONExtractString(c, 'client') AS client,
    JSONExtractString(c, 'clientVersion') AS client_version,
    JSONExtractString(c, 'severity') AS severity,
    JSONExtractUInt(c, 'requests') AS requests
FROM snaps
ARRAY JOIN JSONExtractArrayRaw(result, 'clients') AS c
ORDER BY client, client_version, at
