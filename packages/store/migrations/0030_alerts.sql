-- Post-upgrade alert state (packages/alerts). Redis keeps nothing on disk, so everything that must
-- survive a restart lives here: how far each scope has been checked, what was alerted (the
-- outbox, also the suppression memory) and every delivery outcome.

-- How far checks have read audit_events.ingested_at, per scope (a cluster name, or '*' for all).
-- The version column is the watermark itself: a stale writer can never move it back.
CREATE TABLE IF NOT EXISTS alert_watermarks{{local}} {{on_cluster}}
(
    scope           String,
    watermark       DateTime64(3, 'UTC'),
    cluster_version LowCardinality(String),
    updated_at      DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = {{replicated}}ReplacingMergeTree(watermark)
ORDER BY scope;

-- @cluster-only
CREATE TABLE IF NOT EXISTS alert_watermarks {{on_cluster}} AS alert_watermarks_local
ENGINE = Distributed('{{cluster}}', currentDatabase(), alert_watermarks_local, cityHash64(scope));

-- Every alert raised, written before any delivery (an outbox): a check that dies after writing
-- it delivers nothing twice and loses nothing, because the next check delivers what has no
-- outcome yet, and change_keys suppress the same findings for the suppression window.
CREATE TABLE IF NOT EXISTS alerts{{local}} {{on_cluster}}
(
    alert_id          String,
    created_at        DateTime64(3, 'UTC'),
    scope             String,
    cluster           LowCardinality(String),
    cluster_version   LowCardinality(String),
    client_name       LowCardinality(String),
    client_version    LowCardinality(String),
    client_kube_minor UInt16,
    api_group         LowCardinality(String),
    resource          LowCardinality(String),
    severity          LowCardinality(String),
    requests          UInt64,
    change_keys       Array(String),
    sinks             Array(LowCardinality(String)),
    payload           String CODEC(ZSTD(1))
)
ENGINE = {{replicated}}ReplacingMergeTree
PARTITION BY toYYYYMM(created_at)
ORDER BY alert_id
TTL toDateTime(created_at) + INTERVAL 400 DAY;

-- @cluster-only
CREATE TABLE IF NOT EXISTS alerts {{on_cluster}} AS alerts_local
ENGINE = Distributed('{{cluster}}', currentDatabase(), alerts_local, cityHash64(alert_id));

-- One row per delivery attempt series (retries included) of one alert to one sink; the latest
-- row per (alert_id, sink) is the outcome: delivered, failed (retried by later checks) or
-- rejected (the sink refused the payload; not retried).
CREATE TABLE IF NOT EXISTS alert_deliveries{{local}} {{on_cluster}}
(
    alert_id    String,
    sink        LowCardinality(String),
    outcome     LowCardinality(String),
    attempts    UInt16,
    status_code UInt16,
    error       String,
    at          DateTime64(3, 'UTC')
)
ENGINE = {{replicated}}MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (alert_id, sink, at)
TTL toDateTime(at) + INTERVAL 400 DAY;

-- @cluster-only
CREATE TABLE IF NOT EXISTS alert_deliveries {{on_cluster}} AS alert_deliveries_local
ENGINE = Distributed('{{cluster}}', currentDatabase(), alert_deliveries_local, cityHash64(alert_id));
