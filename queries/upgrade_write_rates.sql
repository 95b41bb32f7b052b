-- upgrade_write_rates: before an upgrade, the writes (update and patch) on the resources it changes
-- fields of, by hour of the week (Monday 00:00 UTC = 0), summed over the window (at most 168 rows;
-- packages/upgrade/src/plan.ts divides by its weeks). The quietest hours are where to roll the
-- apiservers; queries/upgrade_hold.sql then names who writes in them. Both read the writes
-- through the upgrade_writes view (migration 0054).
-- Parameters:
--   cluster     one cluster, or '' for all
--   from, to    DateTime64(3, 'UTC'): whole weeks of history
--   resources   resource plurals (sorting key); keys: 'group/resource'
SELECT
    hour_of_week,
    uniqExact(audit_id) AS writes
FROM upgrade_writes(
    cluster = {cluster:String}, resources = {resources:Array(String)}, keys = {keys:Array(String)},
    from = {from:DateTime64(3, 'UTC')}, to = {to:DateTime64(3, 'UTC')})
GROUP BY hour_of_week
ORDER BY hour_of_week
