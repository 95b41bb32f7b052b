export { parseUserAgent } from './parse.js';
export { DEFAULT_CACHE_ENTRIES, UserAgentParser, type UserAgentParserStats } from './parser.js';
export { MAX_USER_AGENT_LENGTH } from './sanitize.js';
export {
  CLIENT_FAMILIES,
  type ClientFamily,
  type ClientIdentity,
  type KubeReason,
  type VersionReason,
} from './types.js';
export { kubeMinorOf } from './version.js';
