-- clusters_versions: every cluster's versions from its own traffic (migration 0050's hourly
-- rollup): control-plane components and kubelets by the version in their user agents, and the
-- apiservers the sources named (component ''), with first/last request, requests (a replayed batch may count twice) and kubelet nodes.
-- packages/upgrade/src/clusters.ts turns this into minors over time, upgrade moments and skew.
-- Parameters: from, to (DateTime64(3, 'UTC')), cluster (String, '' = all).
SELECT
    cluster, component, version, apiserver, apiserver_version,
    sum(requests) AS requests,
    uniqMerge(nodes) AS nodes,
    min(first_seen) AS first_seen,
    max(last_seen) AS last_seen
FROM cluster_versions_hourly
WHERE ({cluster:String} = '' OR cluster = {cluster:String})
  AND hour >= toStartOfHour({from:DateTime64(3, 'UTC')})
  AND hour <= {to:DateTime64(3, 'UTC')}
GROUP BY cluster, component, version, apiserver, apiserver_version
HAVING last_seen >= {from:DateTime64(3, 'UTC')} AND first_seen <= {to:DateTime64(3, 'UTC')}
ORDER BY cluster, component, version, apiserver, apiserver_version
