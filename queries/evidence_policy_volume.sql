-- evidence_policy_volume: how many requests per day infra/k8s/audit-policy.yaml would log with
-- their body, measured on the traffic already stored (Metadata level is enough), to estimate the
-- volume the policy adds: bodies per day x average body size (docs/field-evidence.md).
-- Counted: updates and patches of the main resource (no subresource) of the listed kinds.
-- Parameters:
--   from, to   DateTime64(3, 'UTC') window
--   cluster    one cluster, or '' for all
--   kinds      'group/resource' logged at Request level by the policy, e.g. ['apps/deployments', '/services']
SELECT
    toDate(ts) AS day,
    count() AS events,
    countIf(verb = 'update' AND subresource = '' AND concat(api_group, '/', resource) IN {kinds:Array(String)}) AS updates,
    countIf(verb = 'patch' AND subresource = '' AND concat(api_group, '/', resource) IN {kinds:Array(String)}) AS patches,
    round(100 * (updates + patches) / count(), 3) AS percent_with_body
FROM audit_events
WHERE ts >= {from:DateTime64(3, 'UTC')}
  AND ts <= {to:DateTime64(3, 'UTC')}
  AND ({cluster:String} = '' OR cluster = {cluster:String})
GROUP BY day
ORDER BY day
