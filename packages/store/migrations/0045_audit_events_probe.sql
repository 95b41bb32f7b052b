-- Where an insert the engine refused for its data is taken apart: the same columns, types and
-- constraints as audit_events (copied when this runs), but the Null engine stores nothing, writes
-- no part and feeds no view, so trying one suspect row at a time costs a parse, not a part (about
-- 4 ms per try instead of 17 on the embedded engine). insertIsolating falls back to the real
-- table for anything the probe does not refuse (a constraint added later) or cannot take (a
-- column added later), so drift costs speed, never rows. A migration that changes audit_events
-- re-creates audit_events_probe after it (DROP, then this CREATE; a Null table takes no ALTER of
-- constraints): packages/ingest/src/isolate.test.ts compares their columns.
CREATE TABLE IF NOT EXISTS audit_events_probe {{on_cluster}} AS audit_events{{local}} ENGINE = Null;
