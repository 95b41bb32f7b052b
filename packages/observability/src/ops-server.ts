import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** Returns null when healthy, else what is wrong (shown on /healthz with status 503). */
export type HealthCheck = () => string | null;

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * /metrics (Prometheus text), /healthz (liveness + what is wrong) for a worker process. Kept on
 * node:http: three fixed routes don't need a framework.
 */
export async function startOpsServer(opts: {
  host: string;
  port: number;
  registry: Registry;
  health: HealthCheck;
}): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/metrics') {
      opts.registry.metrics().then(
        (body) => {
          res.writeHead(200, { 'content-type': opts.registry.contentType });
          res.end(body);
        },
        (e: Error) => {
          res.writeHead(500);
          res.end(e.message);
        },
      );
      return;
    }
    if (url === '/healthz' || url === '/readyz') {
      const problem = opts.health();
      res.writeHead(problem ? 503 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(problem ? { status: 'unhealthy', problem } : { status: 'ok' }));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
