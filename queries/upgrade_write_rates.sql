-- upgrade_write_rates: before an upgrade, the writes (update and patch) on the resources it changes
-- fields of, by hour of the week (Monday 00:00 UTC = 0), summed over the window (at most 168 rows;
-- packages/upgrade/src/plan.ts divides by its weeks). The quietest hours are where to roll the
-- apiservers; queries/upgrade_hold.sql then names who writes in them.
-- Parameters:
--   cluster     one cluster, or '' for all
--   from, to    DateTime64(3, 'UTC'): whole weeks of history
--   resources   resource plurals (sorting key); keys: 'group/resource'
SELECT
    toUInt16((toDayOfWeek(ts) - 1) * 24 + toHour(ts)) AS hour_of_week,
    uniqExact(audit_id) AS writes
FROM audit_events
WHERE ({cluster:String} = '' OR cluster = {cluster:String})
  AND resource IN {resources:Array(String)}
  AND verb IN ('update', 'patch')
  AND ts >= {from:DateTime64(3, 'UTC')}
  AND ts < {to:DateTime64(3, 'UTC')}
  AND concat(api_group, '/', resource) IN {keys:Array(String)}
GROUP BY hour_of_week
ORDER BY hour_of_week
