-- Merges of audit_events read its parts one column at a time (vertical merges) whatever their
-- size. Below the engine's default thresholds (131,072 rows) a merge read every column of every
-- part at once, each with its own read and decompression buffers: ~250 MB of the embedded
-- engine's memory at peak during file ingest (about 100 MB after this), no more CPU
-- (docs/performance.md, file ingest). Larger merges were vertical already.
ALTER TABLE audit_events{{local}} {{on_cluster}}
    MODIFY SETTING vertical_merge_algorithm_min_rows_to_activate = 1, vertical_merge_algorithm_min_columns_to_activate = 1;

-- The probe table follows audit_events (migration 0045): re-created, not altered.
DROP TABLE IF EXISTS audit_events_probe {{on_cluster}};

CREATE TABLE IF NOT EXISTS audit_events_probe {{on_cluster}} AS audit_events{{local}} ENGINE = Null;
