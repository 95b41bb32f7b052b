export { ConfigError, envSchema, loadConfig, type RadarConfig } from './env.js';
export { bodyOptionsOf, storeConfigOf } from './views.js';
