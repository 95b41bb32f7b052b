-- The webhook spool's drainer writes the rows the engine refused with a token derived from the
-- spool range (`spool-<id>-<range>.dead`); after a crash it inserts that range again and must not
-- keep its dead letters twice. A MergeTree drops a repeated token only within this window.
ALTER TABLE dead_letters{{local}} {{on_cluster}}
    MODIFY SETTING non_replicated_deduplication_window = 1000, replicated_deduplication_window = 1000;
