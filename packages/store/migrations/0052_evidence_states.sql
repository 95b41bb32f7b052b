-- The evidence replay, in one place (queries/evidence_counts.sql counts its drops from it,
-- evidence_drops.sql alerts on them): every write of evidence_writes on an object where some
-- write set a target field, once per such field, with what the write says about the stored
-- field (`state`: 1 set, 0 left out by a full write, NULL nothing known) and what the latest
-- earlier write about it said (`prev_set`). A drop is a successful whole update without the field
-- whose prev_set is 1. Only (object, field) pairs some write set are replayed.
-- changed_only = 1 narrows the writes to objects updated in the ingested_at window
-- (changed_from, changed_to] (alert checks: the objects stored since the last check). With 0 the
-- narrowing subquery's filter is constant false: it reads no rows (docs/performance.md, issue 12).
-- A parameterised view: evidence_states(cluster = ..., resources = ..., target_paths = ...,
-- alias_keys = ..., alias_objects = ..., history_from = ..., to = ..., keys = ...,
-- changed_only = ..., changed_from = ..., changed_to = ...); keys are '<object>|<path>'.
CREATE VIEW IF NOT EXISTS evidence_states {{on_cluster}} AS
WITH writes AS
(
    SELECT *
    FROM evidence_writes(
        cluster = {cluster:String}, resources = {resources:Array(String)},
        target_paths = {target_paths:Array(String)}, alias_keys = {alias_keys:Array(String)},
        alias_objects = {alias_objects:Array(String)},
        history_from = {history_from:DateTime64(3, 'UTC')}, to = {to:DateTime64(3, 'UTC')})
    WHERE {changed_only:UInt8} = 0
       OR (cluster, api_group, resource, namespace, name) IN (
            SELECT cluster, api_group, resource, namespace, name
            FROM audit_events
            WHERE {changed_only:UInt8} = 1
              AND ({cluster:String} = '' OR cluster = {cluster:String})
              AND resource IN {resources:Array(String)}
              AND verb = 'update'
              AND ingested_at > {changed_from:DateTime64(3, 'UTC')}
              AND ingested_at <= {changed_to:DateTime64(3, 'UTC')})
)
SELECT
    *,
    anyLast(state) OVER (
        PARTITION BY cityHash64(cluster, object, namespace, name, path)
        ORDER BY ts, audit_id
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) AS prev_set
FROM
(
    SELECT
        w.audit_id AS audit_id, w.ts AS ts, w.ingested_at AS ingested_at, w.verb AS verb,
        w.cluster AS cluster, w.api_group AS api_group, w.resource AS resource, w.object AS object,
        w.namespace AS namespace, w.name AS name, w.username AS username, w.user_agent AS user_agent,
        w.client_name AS client_name, w.client_version AS client_version,
        w.client_kube_minor AS client_kube_minor, f.path AS path,
        has(w.targets_set, f.path) AS has_path,
        w.whole AS whole,
        w.status_code < 400 AS ok,
        -- What this write says about the stored field: full writes always, patches when they set it.
        if(ok AND (has_path OR (w.verb IN ('create', 'update') AND whole)), toNullable(toUInt8(has_path)), NULL) AS state
    FROM writes AS w
    INNER JOIN
    (
        -- (object, field) pairs some write set: the only places a drop can happen
        SELECT DISTINCT cluster, object, namespace, name, path
        FROM writes
        ARRAY JOIN request_paths AS path
        WHERE concat(object, '|', path) IN {keys:Array(String)}
    ) AS f ON f.cluster = w.cluster AND f.object = w.object
          AND f.namespace = w.namespace AND f.name = w.name
);
