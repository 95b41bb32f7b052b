-- Which of {keys} (cluster | client | group/resource | change) were already alerted after
-- {since}: those findings are suppressed instead of alerted again.
SELECT DISTINCT key
FROM alerts
ARRAY JOIN change_keys AS key
WHERE created_at > {since:DateTime64(3, 'UTC')}
  AND has({keys:Array(String)}, key)
