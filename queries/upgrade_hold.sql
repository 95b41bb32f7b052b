-- upgrade_hold: who writes (update and patch) the changed resources in the chosen roll window's
-- hours of the week, per resource and namespace, largest first (at most `limit` rows): whose
-- writes to hold while the apiservers roll. Summed over the window; plan.ts divides by weeks and hours.
-- Parameters: as upgrade_write_rates, plus hours (Array(UInt16), hours of the week) and limit (UInt32).
SELECT
    api_group, resource, namespace,
    uniqExact(audit_id) AS writes
FROM upgrade_writes(
    cluster = {cluster:String}, resources = {resources:Array(String)}, keys = {keys:Array(String)},
    from = {from:DateTime64(3, 'UTC')}, to = {to:DateTime64(3, 'UTC')})
WHERE hour_of_week IN {hours:Array(UInt16)}
GROUP BY api_group, resource, namespace
ORDER BY writes DESC, api_group, resource, namespace
LIMIT {limit:UInt32}
