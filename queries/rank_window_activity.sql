-- rank_window_activity: how much traffic the rollup holds for a window (and cluster, '' = all).
-- rank refuses an empty window rather than report "no risky clients" when nothing was ingested.
-- Parameters: from, to (DateTime64(3, 'UTC')), cluster (String, '' = all).
SELECT
    count() AS rows,
    uniqExact(client_name, client_version) AS clients
FROM audit_daily
WHERE day BETWEEN toDate({from:DateTime64(3, 'UTC')}) AND toDate({to:DateTime64(3, 'UTC')})
  AND last_seen >= {from:DateTime64(3, 'UTC')}
  AND first_seen <= {to:DateTime64(3, 'UTC')}
  AND ({cluster:String} = '' OR cluster = {cluster:String})
