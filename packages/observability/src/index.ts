export { Registry } from 'prom-client';
export { createLogger, type Logger } from './logger.js';
export { type HealthCheck, type OpsServer, startOpsServer } from './ops-server.js';
