// What the generation script needs for the conformance table; not part of the package's public API.
export {
  conformanceRows,
  DOCS_PATH,
  loadToolFacts,
  renderConformance,
  TOOLS_PATH,
  withTable,
} from './conformance.js';
export { parseLifecycleRows } from './derived-data.js';
