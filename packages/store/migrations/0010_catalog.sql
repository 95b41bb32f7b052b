-- User catalogs (radar catalog import): one row per imported spec, reduced to the fields of its
-- custom kinds (JSON in `snapshot`). A name (an operator, a cluster) has one import per Kubernetes
-- minor: importing the same name and minor again replaces it (ReplacingMergeTree, read with FINAL).
-- Consecutive imports of a name are diffed at read time (packages/catalog/src/user.ts).
CREATE TABLE IF NOT EXISTS catalog_imports{{local}} {{on_cluster}}
(
    name          LowCardinality(String),
    minor         LowCardinality(String),
    minor_num     UInt16,
    info_version  String,
    imported_at   DateTime64(3, 'UTC'),
    kinds         UInt32,
    snapshot      String CODEC(ZSTD(3))
)
ENGINE = {{replicated}}ReplacingMergeTree(imported_at)
ORDER BY (name, minor_num);

-- @cluster-only
CREATE TABLE IF NOT EXISTS catalog_imports {{on_cluster}} AS catalog_imports_local
ENGINE = Distributed('{{cluster}}', currentDatabase(), catalog_imports_local, cityHash64(name));
