-- catalog_imports: every user catalog import (`radar catalog import`), per name in minor order;
-- FINAL keeps the latest import of a name and minor. No parameters.
SELECT name, minor, info_version, snapshot
FROM catalog_imports FINAL
ORDER BY name, minor_num
