export { ConfigError, envSchema, loadConfig, type RadarConfig, storeConfigOf } from './env.js';
