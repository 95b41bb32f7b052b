-- Rejected input where there is no dead-letter topic (file ingest, the all-in-one webhook):
-- the reason, where it came from, and the first 64 KiB of the original bytes.
CREATE TABLE IF NOT EXISTS dead_letters{{local}} {{on_cluster}}
(
    received_at DateTime64(3, 'UTC') DEFAULT now64(3),
    source      LowCardinality(String),
    reason      LowCardinality(String),
    detail      String,
    location    String,
    payload     String CODEC(ZSTD(3))
)
ENGINE = {{replicated}}MergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY (reason, received_at)
TTL toDateTime(received_at) + INTERVAL 30 DAY;

-- @cluster-only
CREATE TABLE IF NOT EXISTS dead_letters {{on_cluster}} AS dead_letters_local
ENGINE = Distributed('{{cluster}}', currentDatabase(), dead_letters_local, rand());
