-- report_previous: the latest report for the same upgrade pair and cluster from an earlier
-- period, the baseline for "new since" and "fixed since". Parameters: current, target (String),
-- cluster (String, '' = all clusters), before (Date: this report's period_start).
SELECT report_key, report_id, report
FROM report_history
WHERE current = {current:String} AND target = {target:String} AND cluster = {cluster:String}
  AND period_start < {before:Date}
ORDER BY period_start DESC, created_at ASC, run_id ASC
LIMIT 1
