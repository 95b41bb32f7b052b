-- The rollup's merges take at most 4 parts at a time. A merge of audit_daily holds every part's
-- aggregate states at once (a part's rows fit in one granule, and a uniq state takes far more
-- memory than on disk): at 4M events of one day, 9 parts of ~3,600 rows took 264-277 MB of the
-- embedded engine and made file ingest's peak (754-836 MB). With 4: audit_daily merges <= 58 MB,
-- peak 665 MB at 4M events and 562-572 against 580-593 MB at 1.2M; the rollup kept up (25 parts
-- after 400 inserts) for no CPU beyond noise (docs/performance.md, sixth pass). merge_max_block_size
-- did nothing here; a smaller index_granularity helped less (173 MB) and needs the table rebuilt.
ALTER TABLE audit_daily{{local}} {{on_cluster}}
    MODIFY SETTING max_parts_to_merge_at_once = 4;
