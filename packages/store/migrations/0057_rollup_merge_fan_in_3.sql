-- The rollup's merges take at most 3 parts (0056 took 4). At 4M events of one day, a merge of 4
-- audit_daily parts held 87-90 MB of the embedded engine, and file ingest's peak came when one ran
-- beside a merge of audit_events; with 3: <= 72 MB, peak 585-604 against 604-617 MB (alternated
-- rounds, same file), CPU within noise, and the rollup keeps up (36-39 active parts throughout).
-- 2 stops the rollup's merges altogether (399 parts after 400 inserts), so 3 is the floor
-- (docs/performance.md, seventh pass).
ALTER TABLE audit_daily{{local}} {{on_cluster}}
    MODIFY SETTING max_parts_to_merge_at_once = 3;
