-- Field-level evidence (packages/field-paths, docs/field-evidence.md): the paths of the fields a
-- write request carried (`spec.template.spec.containers[].name`), never their values, kept on the
-- request's own row. One insert as before, no second table to keep in step with the first, and
-- the evidence queries (queries/evidence_*.sql) read only write rows of the catalog's resources,
-- which the sorting key (cluster, api_group, resource, verb, ...) already narrows to.
-- request_paths_status says how complete the set is ('' = the request had no body):
-- complete | sampled | too-deep | too-many-paths | too-large | not-an-object | not-extracted.
ALTER TABLE audit_events{{local}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS request_paths Array(LowCardinality(String)) CODEC(ZSTD(1));

ALTER TABLE audit_events{{local}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS request_paths_status LowCardinality(String);

-- @cluster-only
ALTER TABLE audit_events {{on_cluster}}
    ADD COLUMN IF NOT EXISTS request_paths Array(LowCardinality(String));

-- @cluster-only
ALTER TABLE audit_events {{on_cluster}}
    ADD COLUMN IF NOT EXISTS request_paths_status LowCardinality(String);
