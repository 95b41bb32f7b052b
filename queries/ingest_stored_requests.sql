-- Which of these requests are already stored, and at which stage?
-- Used by ingest to skip replayed events (a worker restarted after storing a batch but before
-- committing its offsets, or the same audit file ingested twice).
-- Params: cluster, a time range around the batch (epoch seconds) to prune partitions, and the audit IDs.
SELECT audit_id, toUnixTimestamp64Milli(ts) AS ts_ms, max(stage_rank) AS stage_rank
FROM audit_events
WHERE cluster = {cluster:String}
  AND ts BETWEEN toDateTime64({from:Float64}, 3, 'UTC') AND toDateTime64({to:Float64}, 3, 'UTC')
  AND audit_id IN {ids:Array(String)}
GROUP BY audit_id, ts
