-- Raw requests, one row per apiserver request (all stages of a request share the sorting key,
-- so ReplacingMergeTree keeps only the most complete stage; stage_rank is the version).
-- Replays are harmless: the same audit_id collapses, and inserts carry a dedup token.
-- LowCardinality only for the key's low-cardinality columns: on insert each one costs a
-- dictionary lookup per value, and the raw table is insert-heavy (measured: docs/performance.md).
CREATE TABLE IF NOT EXISTS audit_events{{local}} {{on_cluster}}
(
    audit_id              String,
    ts                    DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    stage                 String,
    stage_rank            UInt8,
    level                 String,
    cluster               LowCardinality(String),
    verb                  LowCardinality(String),
    write_class           String,
    api_group             LowCardinality(String),
    api_version           String,
    resource              LowCardinality(String),
    subresource           String,
    namespace             String,
    name                  String,
    request_uri           String CODEC(ZSTD(1)),
    username              String,
    user_groups           Array(String),
    impersonated_user     String,
    source_ip             String,
    user_agent            String,
    client_name           LowCardinality(String),
    client_version        LowCardinality(String),
    client_version_reason String,
    client_kube_version   String,
    client_kube_minor     UInt16,
    client_family         String,
    client_platform       String,
    client_commit         String,
    client_suffix         String,
    status_code           UInt16,
    deprecated            UInt8,
    removed_release       String,
    source                String,
    kafka_partition       UInt32,
    kafka_offset          UInt64 CODEC(Delta, ZSTD(1)),
    ingested_at           DateTime64(3, 'UTC') DEFAULT now64(3) CODEC(Delta, ZSTD(1)),
    INDEX idx_audit_id audit_id TYPE bloom_filter(0.01) GRANULARITY 4
)
ENGINE = {{replicated}}ReplacingMergeTree(stage_rank)
PARTITION BY toDate(ts)
ORDER BY (cluster, api_group, resource, verb, client_name, client_version, ts, audit_id)
-- Retention counts from ingestion, so a year-old audit log ingested today is kept.
TTL toDateTime(ingested_at) + INTERVAL 400 DAY
SETTINGS non_replicated_deduplication_window = 1000, replicated_deduplication_window = 1000;

-- @cluster-only
CREATE TABLE IF NOT EXISTS audit_events {{on_cluster}} AS audit_events_local
ENGINE = Distributed('{{cluster}}', currentDatabase(), audit_events_local, cityHash64(audit_id));

-- Daily rollup that ranking reads instead of raw events: its size grows with
-- clients x resources x users x days, not with requests. Counts are uniq(audit_id), so a replayed
-- batch or a second stage of the same request is not counted twice (exact below 65,536 distinct
-- requests per row, about 1% error above).
CREATE TABLE IF NOT EXISTS audit_daily{{local}} {{on_cluster}}
(
    day            Date,
    cluster        LowCardinality(String),
    api_group      LowCardinality(String),
    api_version    LowCardinality(String),
    resource       LowCardinality(String),
    subresource    LowCardinality(String),
    verb           LowCardinality(String),
    client_name    LowCardinality(String),
    client_version LowCardinality(String),
    client_kube_minor UInt16,
    username       LowCardinality(String),
    requests       AggregateFunction(uniq, String),
    failed         AggregateFunction(uniqIf, String, UInt8),
    deprecated     AggregateFunction(uniqIf, String, UInt8),
    objects        AggregateFunction(uniq, String, String),
    namespaces     AggregateFunction(groupUniqArray(20), String),
    user_agents    AggregateFunction(groupUniqArray(5), String),
    sample_ids     AggregateFunction(groupUniqArray(5), String),
    first_seen     SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_seen      SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = {{replicated}}AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (cluster, api_group, resource, verb, client_name, client_version, day, api_version, subresource, username, client_kube_minor);

CREATE MATERIALIZED VIEW IF NOT EXISTS audit_daily_mv{{local}} {{on_cluster}} TO audit_daily{{local}} AS
SELECT
    toDate(ts) AS day,
    cluster, api_group, api_version, resource, subresource, verb,
    client_name, client_version, client_kube_minor, username,
    uniqState(audit_id) AS requests,
    uniqIfState(audit_id, toUInt8(status_code >= 400)) AS failed,
    uniqIfState(audit_id, deprecated) AS deprecated,
    uniqState(namespace, name) AS objects,
    groupUniqArrayState(20)(namespace) AS namespaces,
    groupUniqArrayState(5)(user_agent) AS user_agents,
    groupUniqArrayState(5)(audit_id) AS sample_ids,
    min(ts) AS first_seen,
    max(ts) AS last_seen
FROM audit_events{{local}}
GROUP BY day, cluster, api_group, api_version, resource, subresource, verb, client_name, client_version, client_kube_minor, username;

-- @cluster-only
CREATE TABLE IF NOT EXISTS audit_daily {{on_cluster}} AS audit_daily_local
ENGINE = Distributed('{{cluster}}', currentDatabase(), audit_daily_local);
