export { Registry } from 'prom-client';
export { createLogger, type Logger } from './logger.js';
export { type HealthCheck, OPS_PATHS, type OpsResponse, opsResponse } from './ops-routes.js';
export { type OpsServer, startOpsServer } from './ops-server.js';
