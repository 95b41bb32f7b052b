-- report_get: the weekly report recorded under an idempotency key, if any (earliest of racing
-- runs). Parameters: report_key (String), e.g. 'report|2026-W11|1.24|1.25|*'.
SELECT report_key, report_id, run_id, created_at, report
FROM report_history
WHERE report_key = {report_key:String}
ORDER BY created_at, run_id
LIMIT 1
