export { type RadarConfig, loadConfig, ConfigError, envSchema } from './env.js';
