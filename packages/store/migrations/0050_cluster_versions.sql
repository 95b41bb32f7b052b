-- The upgrade itself (docs/upgrade-window.md, docs/rollback.md).
-- Which apiserver served a request: its identity and version as the source names them (the
-- webhook's `?apiserver=cp-1&apiserver_version=v1.28.3`), '' when the source does not say. The
-- inserts name their columns, so a writer that does not know them stores ''.
ALTER TABLE audit_events{{local}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS apiserver LowCardinality(String) DEFAULT '' COMMENT 'identity of the apiserver that served the request, as its source names it; \'\' if unknown';

ALTER TABLE audit_events{{local}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS apiserver_version LowCardinality(String) DEFAULT '' COMMENT 'version of that apiserver (v1.28.3), \'\' if unknown';

-- @cluster-only
ALTER TABLE audit_events {{on_cluster}}
    ADD COLUMN IF NOT EXISTS apiserver LowCardinality(String) DEFAULT '';

-- @cluster-only
ALTER TABLE audit_events {{on_cluster}}
    ADD COLUMN IF NOT EXISTS apiserver_version LowCardinality(String) DEFAULT '';

-- The probe table follows audit_events' columns (migration 0045): re-created, not altered.
DROP TABLE IF EXISTS audit_events_probe {{on_cluster}};

CREATE TABLE IF NOT EXISTS audit_events_probe {{on_cluster}} AS audit_events{{local}} ENGINE = Null;

-- Every cluster's versions from its own traffic: the control plane's components and kubelets
-- name their versions in their user agents, and apiservers their identity where the source
-- says it. Hourly, so `radar clusters` reads thousands of rows, not the raw table. Other
-- clients' rows are kept only for their apiserver identity (component '').
-- `requests` is a plain count, not uniq(audit_id): where every request names its apiserver, the
-- uniq states of all traffic made merging them cost as much as scanning the raw table (measured,
-- docs/performance.md). Versions and moments are min/max, which replays cannot change; a retried
-- insert is dropped by its dedup token (below); only rows replayed under a new token count twice.
-- `nodes` (distinct kubelet users) is kept for kubelets only.
CREATE TABLE IF NOT EXISTS cluster_versions_hourly{{local}} {{on_cluster}}
(
    hour              DateTime('UTC'),
    cluster           LowCardinality(String),
    component         LowCardinality(String),
    version           LowCardinality(String),
    apiserver         LowCardinality(String),
    apiserver_version LowCardinality(String),
    requests          SimpleAggregateFunction(sum, UInt64),
    nodes             AggregateFunction(uniq, String),
    first_seen        SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_seen         SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = {{replicated}}AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (cluster, component, version, apiserver, apiserver_version, hour)
-- A retried insert carries its dedup token to the view too (deduplicate_blocks_in_dependent_materialized_views):
-- the window makes this table drop the replayed block, so `requests` does not count it twice.
SETTINGS non_replicated_deduplication_window = 1000, replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS cluster_versions_hourly_mv{{local}} {{on_cluster}} TO cluster_versions_hourly{{local}} AS
SELECT
    toStartOfHour(ts) AS hour,
    cluster,
    if(client_name IN ('kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'cloud-controller-manager', 'kubelet'), client_name, '') AS component,
    if(component = '', '', client_version) AS version,
    apiserver,
    apiserver_version,
    toUInt64(count()) AS requests,
    uniqStateIf(username, component = 'kubelet') AS nodes,
    min(ts) AS first_seen,
    max(ts) AS last_seen
FROM audit_events{{local}}
WHERE component != '' OR apiserver != ''
GROUP BY hour, cluster, component, version, apiserver, apiserver_version;

-- @cluster-only
CREATE TABLE IF NOT EXISTS cluster_versions_hourly {{on_cluster}} AS cluster_versions_hourly_local
ENGINE = Distributed('{{cluster}}', currentDatabase(), cluster_versions_hourly_local);

-- Traffic stored before this migration (a rerun after a failure may count `requests` twice; the
-- versions and moments it derives are min/max, unchanged).
-- Through the front table (Distributed on a cluster), so it runs once, not once per node.
INSERT INTO cluster_versions_hourly
SELECT
    toStartOfHour(ts) AS hour,
    cluster,
    if(client_name IN ('kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'cloud-controller-manager', 'kubelet'), client_name, '') AS component,
    if(component = '', '', client_version) AS version,
    apiserver,
    apiserver_version,
    toUInt64(count()) AS requests,
    uniqStateIf(username, component = 'kubelet') AS nodes,
    min(ts) AS first_seen,
    max(ts) AS last_seen
FROM audit_events
WHERE component != '' OR apiserver != ''
GROUP BY hour, cluster, component, version, apiserver, apiserver_version;
