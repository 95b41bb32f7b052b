import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { type HealthCheck, opsResponse } from './ops-routes.js';

export type { HealthCheck };

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * /metrics (Prometheus text), /healthz and /readyz (liveness + what is wrong) for a worker
 * process. Kept on node:http: three fixed routes don't need a framework.
 */
export async function startOpsServer(opts: {
  host: string;
  port: number;
  registry: Registry;
  health: HealthCheck;
}): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    opsResponse(req.url ?? '/', opts.registry, opts.health).then((r) => {
      if (!r) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(r.status, { 'content-type': r.contentType });
      res.end(r.body);
    });
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
