-- The writes an upgrade plan weighs (queries/upgrade_write_rates.sql, upgrade_hold.sql), in one
-- place: updates and patches of the resources the upgrade changes fields of, with the hour of the
-- week each fell in (Monday 00:00 UTC = 0). A parameterised view: upgrade_writes(cluster = ...,
-- resources = ..., keys = ..., from = ..., to = ...); cluster '' means every cluster, resources
-- are plurals (the sorting key narrows on them), keys 'group/resource'.
CREATE VIEW IF NOT EXISTS upgrade_writes {{on_cluster}} AS
SELECT
    audit_id, ts, api_group, resource, namespace,
    toUInt16((toDayOfWeek(ts) - 1) * 24 + toHour(ts)) AS hour_of_week
FROM audit_events
WHERE ({cluster:String} = '' OR cluster = {cluster:String})
  AND resource IN {resources:Array(String)}
  AND verb IN ('update', 'patch')
  AND ts >= {from:DateTime64(3, 'UTC')}
  AND ts < {to:DateTime64(3, 'UTC')}
  AND concat(api_group, '/', resource) IN {keys:Array(String)};
