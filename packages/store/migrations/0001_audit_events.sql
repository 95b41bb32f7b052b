-- Raw requests, one row per apiserver request (all stages of a request share the sorting key,
-- so ReplacingMergeTree keeps only the most complete stage; stage_rank is the version).
-- Replays are harmless: the same audit_id collapses, and inserts carry a dedup token.
-- LowCardinality only for the key's low-cardinality columns: on insert each one costs a
-- dictionary lookup per value, and the raw table is insert-heavy (measured: docs/performance.md).
CREATE TABLE IF NOT EXISTS audit_events{{local}} {{on_cluster}}
(
    audit_id              String COMMENT 'auditID of the request (all its stages share it)',
    ts                    DateTime64(3, 'UTC') COMMENT 'when the apiserver received the request (requestReceivedTimestamp; v1beta1: timestamp)' CODEC(Delta, ZSTD(1)),
    stage                 String COMMENT 'most complete stage seen: RequestReceived, ResponseStarted, ResponseComplete, Panic',
    stage_rank            UInt8 COMMENT '0..3 for the stages above; the ReplacingMergeTree version',
    level                 String COMMENT 'audit level: Metadata, Request, RequestResponse',
    cluster               LowCardinality(String) COMMENT 'cluster name of the source (RADAR_CLUSTER_NAME or --cluster)',
    verb                  LowCardinality(String) COMMENT 'audit verb: get list watch create update patch delete deletecollection, or an HTTP method for non-resource URLs',
    write_class           String COMMENT 'write (create update patch delete deletecollection), read (get list watch) or other',
    api_group             LowCardinality(String) COMMENT 'API group, \'\' for core',
    api_version           String COMMENT 'the version in the URL the client called',
    resource              LowCardinality(String) COMMENT 'resource plural, \'\' for non-resource URLs',
    subresource           String COMMENT 'status, scale, eviction, ... or \'\'',
    namespace             String COMMENT 'namespace of the object, \'\' if cluster-scoped',
    name                  String COMMENT 'name of the object, \'\' for collections',
    request_uri           String COMMENT 'request URI with query string, cut to 2 KiB' CODEC(ZSTD(1)),
    username              String COMMENT 'authenticated user',
    user_groups           Array(String) COMMENT 'groups of the user',
    impersonated_user     String COMMENT 'impersonated user, \'\' if none',
    source_ip             String COMMENT 'first source IP',
    user_agent            String COMMENT 'User-Agent as sent, \'\' if absent (v1beta1)',
    client_name           LowCardinality(String) COMMENT 'client program from the user agent (kubectl, manager, Helm, python-client, unknown)',
    client_version        LowCardinality(String) COMMENT 'client program version (semver), \'\' when unknown',
    client_version_reason String COMMENT 'why client_version is \'\': missing, placeholder (v0.0.0, $Format), unparseable, not-kubernetes',
    client_kube_version   String COMMENT 'Kubernetes schema version the client was built against, \'\' when unknown',
    client_kube_minor     UInt16 COMMENT 'its minor (17 for 1.17), 0 when unknown',
    client_family         String COMMENT 'client-go, python, java, helm, terraform, go-http, kube-probe, browser, curl, other, none',
    client_platform       String COMMENT 'os/arch from the user agent',
    client_commit         String COMMENT 'commit from the user agent',
    client_suffix         String COMMENT 'what follows the commit: controller name, leader-election, a service account',
    status_code           UInt16 COMMENT 'HTTP status of the response, 0 if none yet',
    deprecated            UInt8 COMMENT '1 when the apiserver annotated k8s.io/deprecated=true',
    removed_release       String COMMENT 'k8s.io/removed-release annotation, e.g. 1.22',
    source                String COMMENT 'kafka:<topic>, file:<name> or webhook',
    kafka_partition       UInt32 COMMENT 'Kafka partition of the message (0 for files and the webhook)',
    kafka_offset          UInt64 COMMENT 'Kafka offset of the message, or the line\'s position in its chunk' CODEC(Delta, ZSTD(1)),
    ingested_at           DateTime64(3, 'UTC') DEFAULT now64(3) COMMENT 'when the row was stored' CODEC(Delta, ZSTD(1)),
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
