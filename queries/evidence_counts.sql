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
-- Cost: set and omitted are counted from each request's own paths (no per-field row expansion);
-- the ordered replay that finds drops (evidence_states, migration 0052) runs only on objects
-- where some write set a target field.
-- (Lambdas over request_paths are avoided on purpose: capturing the array column copies it once
-- per target, 20x slower than ARRAY JOIN + IN at 1M writes; see docs/field-evidence.md, Cost.)
-- Parameters:
--   from, to, history_from  DateTime64(3, 'UTC'); history_from <= from
--   cluster                 one cluster, or '' for all
--   resources               resources named in the targets (lets the sorting key skip the rest)
--   alias_keys/alias_objects 'group/resource' as called -> the object's canonical 'group/resource'
--                            (extensions/deployments -> apps/deployments); others map to themselves
--   target_objects/target_paths  parallel: canonical 'group/resource' and a catalog path
--   keys                    the same targets as '<object>|<path>'
--   max_objects             how many objects with drops to list per row
WITH writes AS
(
    -- migration 0047: the writes evidence_states replays
    SELECT *
    FROM evidence_writes(
        cluster = {cluster:String}, resources = {resources:Array(String)},
        target_paths = {target_paths:Array(String)}, alias_keys = {alias_keys:Array(String)},
        alias_objects = {alias_objects:Array(String)},
        history_from = {history_from:DateTime64(3, 'UTC')}, to = {to:DateTime64(3, 'UTC')})
)
SELECT
    u.client_name AS client_name,
    u.client_version AS client_version,
    u.object AS object,
    u.path AS path,
    s.set AS set,
    u.whole_updates - s.set_whole AS omitted,
    d.dropped AS dropped,
    d.drop_objects AS drop_objects,
    d.drop_samples AS drop_samples
FROM
(
    -- every client updating an object kind, once per target field of that kind
    SELECT client_name, client_version, object, whole_updates, path
    FROM
    (
        SELECT client_name, client_version, object, uniqExactIf(audit_id, whole) AS whole_updates
        FROM writes
        WHERE verb = 'update' AND ts >= {from:DateTime64(3, 'UTC')}
        GROUP BY client_name, client_version, object
    )
    ARRAY JOIN arrayFilter((p, o) -> o = object, {target_paths:Array(String)}, {target_objects:Array(String)}) AS path
) AS u
LEFT JOIN
(
    SELECT client_name, client_version, object, path,
           uniqExact(audit_id) AS set, uniqExactIf(audit_id, whole) AS set_whole
    FROM writes
    ARRAY JOIN request_paths AS path
    WHERE verb = 'update' AND ts >= {from:DateTime64(3, 'UTC')}
      AND concat(object, '|', path) IN {keys:Array(String)}
    GROUP BY client_name, client_version, object, path
) AS s ON s.client_name = u.client_name AND s.client_version = u.client_version
      AND s.object = u.object AND s.path = u.path
LEFT JOIN
(
    SELECT client_name, client_version, object, path,
           uniqExact(audit_id) AS dropped,
           groupUniqArray({max_objects:UInt32})(concat(namespace, '/', name)) AS drop_objects,
           groupUniqArray(5)(audit_id) AS drop_samples
    -- migration 0052: the replay evidence_drops alerts on, over every object
    FROM evidence_states(
        cluster = {cluster:String}, resources = {resources:Array(String)},
        target_paths = {target_paths:Array(String)}, alias_keys = {alias_keys:Array(String)},
        alias_objects = {alias_objects:Array(String)},
        history_from = {history_from:DateTime64(3, 'UTC')}, to = {to:DateTime64(3, 'UTC')},
        keys = {keys:Array(String)}, changed_only = 0, changed_from = '1970-01-01 00:00:00.000',
        changed_to = '1970-01-01 00:00:00.000')
    WHERE verb = 'update' AND ts >= {from:DateTime64(3, 'UTC')}
      AND NOT has_path AND whole AND ok AND prev_set = 1
    GROUP BY client_name, client_version, object, path
) AS d ON d.client_name = u.client_name AND d.client_version = u.client_version
      AND d.object = u.object AND d.path = u.path
ORDER BY client_name, client_version, object, path
