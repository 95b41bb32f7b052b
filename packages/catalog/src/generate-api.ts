// What the generation script and its test need; not part of the package's public API.
export { type BuildResult, type BuiltCatalog, buildCatalog } from './build.js';
export { CATALOG_PATH, parseCatalogFile, serializeCatalog } from './catalog-file.js';
export { loadCurated } from './curated.js';
export { FIELDS_PATH, LIFECYCLE_PATH, serializeFields, serializeLifecycle } from './derived-data.js';
export { loadKubeApi } from './kube-api.js';
export { loadReleaseSpecs } from './spec-set.js';
