export { ConfigError, envSchema, loadConfig, type RadarConfig } from './env.js';
