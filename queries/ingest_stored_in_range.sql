-- The requests stored in a time range, at most cap rows: ingest's duplicate check, first try.
-- A batch or a file's chunk covers seconds to minutes, so few rows are stored in its range (the
-- edge of the chunk before it; the chunk's own on a re-ingest), and reading them costs less than
-- matching thousands of audit IDs (ingest_stored_requests: most of its cost is the ID list).
-- A range holding more than the cap is checked by ID instead. One row per stored version: a
-- request stored at two stages, not yet merged, comes twice; the caller keeps the later stage.
-- Params: cluster, the range (epoch seconds), cap (the caller asks one past its limit).
SELECT audit_id, toUnixTimestamp64Milli(ts) AS ts_ms, stage_rank
FROM audit_events
WHERE cluster = {cluster:String}
  AND ts BETWEEN toDateTime64({from:Float64}, 3, 'UTC') AND toDateTime64({to:Float64}, 3, 'UTC')
LIMIT {cap:UInt32}
