-- The guard's own verdicts (docs/guard.md "Its verdicts in the product"). `radar guard` sets
-- auditAnnotations on its answers; the apiserver records them in the audit event of the same
-- request as `guard.upgrade-radar.io/verdict` and `.../fields`. The tagger normalises them
-- (packages/tagger/src/guard.ts): a verdict is '', denied, warned, would-deny, undecided or
-- 'other' (any other value), fields a comma-separated `dropped:<path>,reset:<path>` list cut to
-- 1024 characters. Inserts name their columns, so a writer that does not know them stores ''.
ALTER TABLE audit_events{{local}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS guard_verdict LowCardinality(String) DEFAULT '' COMMENT 'the admission guard\'s verdict on this request (denied, warned, would-deny, undecided, other), \'\' if it gave none';

ALTER TABLE audit_events{{local}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS guard_fields String DEFAULT '' COMMENT 'fields the guard judged, as `dropped:<path>,reset:<path>` (at most 1024 characters)';

-- @cluster-only
ALTER TABLE audit_events {{on_cluster}}
    ADD COLUMN IF NOT EXISTS guard_verdict LowCardinality(String) DEFAULT '';

-- @cluster-only
ALTER TABLE audit_events {{on_cluster}}
    ADD COLUMN IF NOT EXISTS guard_fields String DEFAULT '';

-- The probe table follows audit_events' columns (migration 0045): re-created, not altered.
DROP TABLE IF EXISTS audit_events_probe {{on_cluster}};

CREATE TABLE IF NOT EXISTS audit_events_probe {{on_cluster}} AS audit_events{{local}} ENGINE = Null;

-- Verdicts per hour, client, user and resource, so rank, report and their evidence read a few
-- rows instead of scanning raw events. Only requests the guard judged reach it (a few per cent
-- of updates at most), so `requests` can afford uniq(audit_id): a later stage or a replay under
-- a new token counts once. A retried insert carries its dedup token to the view too
-- (deduplicate_blocks_in_dependent_materialized_views): the window makes this table drop the
-- replayed block, as cluster_versions_hourly does (0050).
CREATE TABLE IF NOT EXISTS guard_verdicts_hourly{{local}} {{on_cluster}}
(
    hour              DateTime('UTC'),
    cluster           LowCardinality(String),
    client_name       LowCardinality(String),
    client_version    LowCardinality(String),
    client_kube_minor UInt16,
    username          String,
    api_group         LowCardinality(String),
    api_version       LowCardinality(String),
    resource          LowCardinality(String),
    verdict           LowCardinality(String),
    fields            String,
    requests          AggregateFunction(uniq, String),
    objects           AggregateFunction(uniq, String, String),
    sample_ids        AggregateFunction(groupUniqArray(5), String),
    first_seen        SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_seen         SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = {{replicated}}AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (cluster, api_group, resource, client_name, client_version, verdict, hour, api_version, username, client_kube_minor, fields)
TTL hour + INTERVAL 400 DAY
SETTINGS non_replicated_deduplication_window = 1000, replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS guard_verdicts_hourly_mv{{local}} {{on_cluster}} TO guard_verdicts_hourly{{local}} AS
SELECT
    toStartOfHour(ts) AS hour,
    cluster,
    client_name,
    client_version,
    client_kube_minor,
    username,
    api_group,
    api_version,
    resource,
    guard_verdict AS verdict,
    guard_fields AS fields,
    uniqState(audit_id) AS requests,
    uniqState(namespace, name) AS objects,
    groupUniqArrayState(5)(audit_id) AS sample_ids,
    min(ts) AS first_seen,
    max(ts) AS last_seen
FROM audit_events{{local}}
WHERE guard_verdict != ''
GROUP BY hour, cluster, client_name, client_version, client_kube_minor, username, api_group, api_version, resource, verdict, fields;

-- @cluster-only
CREATE TABLE IF NOT EXISTS guard_verdicts_hourly {{on_cluster}} AS guard_verdicts_hourly_local
ENGINE = Distributed('{{cluster}}', currentDatabase(), guard_verdicts_hourly_local);

-- No backfill: the columns are new here, so no stored row carries a verdict yet.
