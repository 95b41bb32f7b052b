-- Rollup-only feed. A worker killed between the raw insert and its materialized view (or a
-- retried insert the server deduplicated after a partial write) leaves requests in
-- audit_events that audit_daily never counted. Replays send such already-stored rows here: the
-- view below adds them to the rollup, which counts uniq(audit_id), so a request counted twice
-- still counts once. Since 0046 raw rows come through this feed too, so its view's SELECT is the rollup's only one.
CREATE TABLE IF NOT EXISTS audit_rollup_feed{{local}} {{on_cluster}}
(
    audit_id          String,
    ts                DateTime64(3, 'UTC'),
    cluster           String,
    verb              String,
    api_group         String,
    api_version       String,
    resource          String,
    subresource       String,
    namespace         String,
    name              String,
    username          String,
    user_agent        String,
    client_name       String,
    client_version    String,
    client_kube_minor UInt16,
    status_code       UInt16,
    deprecated        UInt8
)
ENGINE = Null;

CREATE MATERIALIZED VIEW IF NOT EXISTS audit_daily_feed_mv{{local}} {{on_cluster}} TO audit_daily{{local}} AS
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
FROM audit_rollup_feed{{local}}
GROUP BY day, cluster, api_group, api_version, resource, subresource, verb, client_name, client_version, client_kube_minor, username;

-- @cluster-only
CREATE TABLE IF NOT EXISTS audit_rollup_feed {{on_cluster}} AS audit_rollup_feed_local
ENGINE = Distributed('{{cluster}}', currentDatabase(), audit_rollup_feed_local, cityHash64(audit_id));
