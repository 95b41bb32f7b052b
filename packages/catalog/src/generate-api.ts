// What the generation script and its test need; not part of the package's public API.
export { type BuiltCatalog, buildCatalog } from './build.js';
export { CATALOG_PATH, parseCatalogFile, serializeCatalog } from './catalog-file.js';
export { loadCurated } from './curated.js';
export { loadReleaseSpecs } from './spec-set.js';
