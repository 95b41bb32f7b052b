import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type DecideDeps, decide, readReview, reviewResponse, uidFromHead, type Verdict } from '@radar/guard';
import type { Logger } from '@radar/observability';
import type { Registry } from 'prom-client';
import type { GuardMetrics } from './metrics.js';

export interface ServerOptions {
  host: string;
  port: number;
  cert: string | Buffer;
  key: string | Buffer;
  maxBodyBytes: number;
  requestTimeoutMs: number;
  /** Read per review: the learned table may change between two. */
  deps: () => DecideDeps;
  health: () => Record<string, unknown>;
  registry: Registry;
  metrics: GuardMetrics;
  log: Logger;
}

export interface GuardServer {
  port: number;
  close(): Promise<void>;
}

const HEAD_BYTES = 4096;

/**
 * The HTTPS admission endpoint (POST /validate) with /healthz and /metrics on the same port. Every
 * POST gets a well-formed AdmissionReview answer with status 200, allowing whenever the body
 * cannot be read: a 5xx would make the apiserver apply failurePolicy, and with Fail stall writes.
 */
export async function startGuardServer(o: ServerOptions): Promise<GuardServer> {
  const server: Server = createServer({ cert: o.cert, key: o.key }, (req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method === 'POST' && url === '/validate') return review(req, res, o);
    if (req.method === 'GET' && url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(o.health()));
      return;
    }
    if (req.method === 'GET' && url === '/metrics') {
      o.registry.metrics().then(
        (body) => {
          res.writeHead(200, { 'content-type': o.registry.contentType });
          res.end(body);
        },
        (e: Error) => {
          res.writeHead(500);
          res.end(e.message);
        },
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found: POST /validate, GET /healthz, GET /metrics\n');
  });
  server.requestTimeout = o.requestTimeoutMs;
  server.headersTimeout = Math.min(o.requestTimeoutMs, 10_000);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function review(req: IncomingMessage, res: ServerResponse, o: ServerOptions): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let head = '';
  let over = false;
  req.on('data', (c: Buffer) => {
    if (head.length < HEAD_BYTES) head += c.subarray(0, HEAD_BYTES).toString('latin1');
    size += c.length;
    // Over the cap the rest is read and dropped (memory stays bounded), then answered: allowed.
    if (size > o.maxBodyBytes) {
      over = true;
      chunks.length = 0;
    } else chunks.push(c);
  });
  req.on('error', () => res.destroy());
  req.on('end', () => {
    const t0 = performance.now();
    let body: object;
    if (over) {
      o.metrics.badReviews.inc({ reason: 'too-large' });
      o.log.warn(
        { bytes: size, limit: o.maxBodyBytes },
        'guard: review over GUARD_MAX_BODY_BYTES, allowed unread',
      );
      body = reviewResponse(uidFromHead(head));
    } else body = answer(Buffer.concat(chunks).toString('utf8'), o);
    const text = JSON.stringify(body);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    o.metrics.seconds.observe((performance.now() - t0) / 1000);
  });
}

function answer(text: string, o: ServerOptions): object {
  const read = readReview(text);
  if (read.kind === 'bad') {
    o.metrics.badReviews.inc({ reason: read.reason });
    o.log.warn(
      { reason: read.reason, detail: read.detail.slice(0, 200) },
      'guard: unreadable review, allowed',
    );
    return reviewResponse(read.uid);
  }
  let verdict: Verdict;
  try {
    verdict = decide(read.request, o.deps());
  } catch (err) {
    // A bug must not stop writes either: allow, count, log.
    o.metrics.badReviews.inc({ reason: 'internal-error' });
    o.log.error({ err, uid: read.request.uid }, 'guard: decision failed, allowed');
    return reviewResponse(read.request.uid);
  }
  o.metrics.reviews.inc({ outcome: verdict.outcome, allowed: String(verdict.allowed) });
  if (verdict.outcome === 'suspect') {
    const { group, resource } = read.request.resource;
    o.metrics.suspects.inc({ mode: verdict.mode ?? 'audit', group, resource });
    o.log.info(
      {
        uid: read.request.uid,
        user: read.request.userInfo.username,
        namespace: read.request.namespace,
        name: read.request.name,
        resource: `${group}/${resource}`,
        mode: verdict.mode,
        ...verdict.auditAnnotations,
      },
      'guard: suspect full update',
    );
  }
  return reviewResponse(read.request.uid, verdict);
}
