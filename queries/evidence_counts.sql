-- evidence_counts: what full updates (PUT) really did to the fields an upgrade adds, per client.
-- For each (client name, client version, object kind, catalog path P), over the updates in the
-- window that carried a body (audit level Request or above):
--   set      updates whose body carried P;
--   omitted  updates whose whole body (request_paths_status complete or sampled) did not;
--   dropped  omitted ones that succeeded on an object whose latest earlier write about P had set
--            it: a create or update carrying P, or a patch setting P, by any client. An earlier
--            full write without P, or nothing known, is not a drop.
-- Objects are (cluster, group/resource folded by the alias lists, namespace, name). Writes from
-- history_from on are read to know each object's state; only updates from `from` on are counted.
-- Dry runs (?dryRun=All) change nothing and are left out. Values are never read: only paths.
-- Parameters:
--   from, to, history_from  DateTime64(3, 'UTC'); history_from <= from
--   cluster                 one cluster, or '' for all
--   resources               resources named in the targets (lets the sorting key skip the rest)
--   alias_keys/alias_objects 'group/resource' as called -> the object's canonical 'group/resource'
--                            (extensions/deployments -> apps/deployments); others map to themselves
--   target_objects/target_paths  parallel: canonical 'group/resource' and a catalog path
--   max_objects             how many objects with drops to list per row
SELECT
    client_name,
    client_version,
    object,
    path,
    uniqExactIf(audit_id, has_path) AS set,
    uniqExactIf(audit_id, NOT has_path AND whole) AS omitted,
    uniqExactIf(audit_id, is_drop) AS dropped,
    groupUniqArrayIf({max_objects:UInt32})(concat(namespace, '/', name), is_drop) AS drop_objects,
    groupUniqArrayIf(5)(audit_id, is_drop) AS drop_samples
FROM
(
    SELECT
        audit_id, ts, verb, client_name, client_version, object, namespace, name, path, has_path, whole,
        NOT has_path AND whole AND ok AND prev_set = 1 AS is_drop
    FROM
    (
        SELECT
            *,
            anyLast(state) OVER (
                PARTITION BY cluster, object, namespace, name, path
                ORDER BY ts, audit_id
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
            ) AS prev_set
        FROM
        (
            SELECT
                audit_id, ts, verb, cluster, client_name, client_version, object, namespace, name, path,
                has(request_paths, path) AS has_path,
                request_paths_status IN ('complete', 'sampled') AS whole,
                status_code < 400 AS ok,
                -- What this write says about the stored field: full writes always, patches when they set it.
                if(ok AND (has_path OR (verb IN ('create', 'update') AND whole)), toNullable(toUInt8(has_path)), NULL) AS state
            FROM
            (
                SELECT
                    audit_id, ts, verb, cluster, client_name, client_version, namespace, name, status_code,
                    request_paths, request_paths_status,
                    transform(concat(api_group, '/', resource), {alias_keys:Array(String)},
                              {alias_objects:Array(String)}, concat(api_group, '/', resource)) AS object
                FROM audit_events
                WHERE ({cluster:String} = '' OR cluster = {cluster:String})
                  AND resource IN {resources:Array(String)}
                  AND verb IN ('create', 'update', 'patch')
                  AND subresource = ''
                  AND request_paths_status != ''
                  AND ts >= {history_from:DateTime64(3, 'UTC')}
                  AND ts <= {to:DateTime64(3, 'UTC')}
                  AND position(request_uri, 'dryRun=') = 0
            )
            ARRAY JOIN arrayFilter((p, o) -> o = object, {target_paths:Array(String)}, {target_objects:Array(String)}) AS path
        )
    )
)
WHERE verb = 'update' AND ts >= {from:DateTime64(3, 'UTC')}
GROUP BY client_name, client_version, object, path
ORDER BY client_name, client_version, object, path
