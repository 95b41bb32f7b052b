import type { Registry } from 'prom-client';

/** Returns null when healthy, else what is wrong (shown on /healthz with status 503). */
export type HealthCheck = () => string | null;

export interface OpsResponse {
  status: number;
  contentType: string;
  body: string;
}

/** The operations routes every process serves, on its ops server or beside its own API. */
export const OPS_PATHS = ['/metrics', '/healthz', '/readyz'] as const;

/**
 * The answer to an ops route, whatever serves it (node:http here, fastify in the webhook), so
 * /metrics and /healthz mean the same everywhere. Undefined for any other path.
 */
export async function opsResponse(
  path: string,
  registry: Registry,
  health: HealthCheck,
): Promise<OpsResponse | undefined> {
  if (path === '/metrics') {
    try {
      return { status: 200, contentType: registry.contentType, body: await registry.metrics() };
    } catch (e) {
      return { status: 500, contentType: 'text/plain', body: (e as Error).message };
    }
  }
  if (path === '/healthz' || path === '/readyz') {
    const problem = health();
    return {
      status: problem ? 503 : 200,
      contentType: 'application/json',
      body: JSON.stringify(problem ? { status: 'unhealthy', problem } : { status: 'ok' }),
    };
  }
  return undefined;
}
