-- guard_verdicts: the admission guard's own verdicts (docs/guard.md "Its verdicts in the product")
-- per client, user, group/version/resource, verdict and fields over a window, for rank evidence
-- and the report's "Guard verdicts" section. Reads the guard_verdicts_hourly rollup (migration
-- 0051), never raw events: only requests the guard judged are in it.
-- verdict: denied (refused), warned (allowed with a warning), would-deny (audit mode: allowed,
-- only recorded), undecided (the guard could not trust its user table), other (a value this
-- radar does not know). fields: `dropped:<path>,reset:<path>` as the guard annotated them.
-- (first_at/last_at, not first_seen/last_seen: a SELECT alias would shadow the columns in WHERE.)
-- Parameters:
--   from, to   the window; hours partly inside it count whole
--   cluster    one cluster, or '' for all
SELECT
    client_name,
    client_version,
    client_kube_minor,
    username,
    api_group,
    api_version,
    resource,
    verdict,
    fields,
    uniqMerge(requests) AS requests,
    uniqMerge(objects) AS objects,
    groupUniqArrayMerge(5)(sample_ids) AS sample_ids,
    min(first_seen) AS first_at,
    max(last_seen) AS last_at
FROM guard_verdicts_hourly
WHERE hour BETWEEN toStartOfHour({from:DateTime64(3, 'UTC')}) AND {to:DateTime64(3, 'UTC')}
  AND last_seen >= {from:DateTime64(3, 'UTC')}
  AND first_seen <= {to:DateTime64(3, 'UTC')}
  AND ({cluster:String} = '' OR cluster = {cluster:String})
GROUP BY client_name, client_version, client_kube_minor, username, api_group, api_version, resource, verdict, fields
ORDER BY client_name, client_version, api_group, resource, verdict, username, fields
