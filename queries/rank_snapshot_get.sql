-- rank_snapshot_get: the rank snapshot recorded for a period key, if any. When racing runs both
-- stored one, the earliest (created_at, run_id) is the one that counts, for every reader.
-- Parameters: period_key (String), e.g. 'rank|2026-03-10T09|1.24|1.25|*'.
SELECT period_key, run_id, created_at, result
FROM rank_snapshots
WHERE period_key = {period_key:String}
ORDER BY created_at, run_id
LIMIT 1
