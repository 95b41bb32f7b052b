-- One SELECT for the rollup. Until now audit_daily_mv (0001) and audit_daily_feed_mv (0003)
-- each carried the same aggregating SELECT, one reading audit_events and one the rollup-only
-- feed. Raw rows now pass through the feed too (a column projection into the Null table), so
-- audit_daily_feed_mv's SELECT is the only one that writes audit_daily.
-- The new view is created before the old one goes: inserts in between are counted by both,
-- which the rollup absorbs (uniq(audit_id), min, max), where the other order would miss them.
CREATE MATERIALIZED VIEW IF NOT EXISTS audit_events_feed_mv{{local}} {{on_cluster}} TO audit_rollup_feed{{local}} AS
SELECT
    audit_id, ts, cluster, verb, api_group, api_version, resource, subresource, namespace, name,
    username, user_agent, client_name, client_version, client_kube_minor, status_code, deprecated
FROM audit_events{{local}};

DROP VIEW IF EXISTS audit_daily_mv{{local}} {{on_cluster}};
