-- upgrade_hold: who writes (update and patch) the changed resources in the chosen roll window's
-- hours of the week, per resource and namespace, largest first (at most `limit` rows): whose
-- writes to hold while the apiservers roll. Summed over the window; plan.ts divides by weeks and hours.
-- Parameters: as upgrade_write_rates, plus hours (Array(UInt16), hours of the week) and limit (UInt32).
SELECT
    api_group, resource, namespace,
    uniqExact(audit_id) AS writes
FROM audit_events
WHERE ({cluster:String} = '' OR cluster = {cluster:String})
  AND resource IN {resources:Array(String)}
  AND verb IN ('update', 'patch')
  AND ts >= {from:DateTime64(3, 'UTC')}
  AND ts < {to:DateTime64(3, 'UTC')}
  AND concat(api_group, '/', resource) IN {keys:Array(String)}
  AND toUInt16((toDayOfWeek(ts) - 1) * 24 + toHour(ts)) IN {hours:Array(UInt16)}
GROUP BY api_group, resource, namespace
ORDER BY writes DESC, api_group, resource, namespace
LIMIT {limit:UInt32}
