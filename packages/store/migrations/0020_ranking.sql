-- History of ranking (packages/ranking): hourly rank snapshots and weekly client-upgrade reports.
-- Jobs may run twice (bullmq retries, a scheduler restart): each row is claimed by an idempotency
-- key. An insert carries the key as its dedup token, so a second run's insert is dropped, and if
-- two racing runs both land, readers take the earliest (created_at, run_id): one answer per key.
-- The whole result is kept as JSON so a rerun re-renders exactly what was first produced.

-- One row per (upgrade pair, cluster, hour), e.g. key 'rank|2026-03-10T09|1.24|1.25|*'.
CREATE TABLE IF NOT EXISTS rank_snapshots{{local}} {{on_cluster}}
(
    period_key  String,
    run_id      String,
    created_at  DateTime64(3, 'UTC'),
    current     LowCardinality(String),
    target      LowCardinality(String),
    cluster     LowCardinality(String),
    window_from DateTime64(3, 'UTC'),
    window_to   DateTime64(3, 'UTC'),
    clients     UInt32,
    critical    UInt32,
    high        UInt32,
    needs_verification UInt32,
    result      String CODEC(ZSTD(3))
)
ENGINE = {{replicated}}MergeTree
PARTITION BY toYYYYMM(window_to)
ORDER BY (period_key, created_at, run_id)
TTL toDateTime(window_to) + INTERVAL 400 DAY
SETTINGS non_replicated_deduplication_window = 10000, replicated_deduplication_window = 10000;

-- @cluster-only
CREATE TABLE IF NOT EXISTS rank_snapshots {{on_cluster}} AS rank_snapshots_local
ENGINE = Distributed('{{cluster}}', currentDatabase(), rank_snapshots_local, cityHash64(period_key));

-- One row per report key (ISO week + upgrade pair + cluster), e.g. 'report|2026-W11|1.24|1.25|*'.
-- period_start (Monday of the week) orders reports, to find "the previous report".
CREATE TABLE IF NOT EXISTS report_history{{local}} {{on_cluster}}
(
    report_key   String,
    report_id    String,
    run_id       String,
    created_at   DateTime64(3, 'UTC'),
    period       LowCardinality(String),
    period_start Date,
    current      LowCardinality(String),
    target       LowCardinality(String),
    cluster      LowCardinality(String),
    window_from  DateTime64(3, 'UTC'),
    window_to    DateTime64(3, 'UTC'),
    clients      UInt32,
    report       String CODEC(ZSTD(3))
)
ENGINE = {{replicated}}MergeTree
ORDER BY (report_key, created_at, run_id)
SETTINGS non_replicated_deduplication_window = 10000, replicated_deduplication_window = 10000;

-- @cluster-only
CREATE TABLE IF NOT EXISTS report_history {{on_cluster}} AS report_history_local
ENGINE = Distributed('{{cluster}}', currentDatabase(), report_history_local, cityHash64(report_key));
