/**
 * pnpm bench:guard — issue 10: AdmissionReviews/s and p50/p99 latency of `radar guard` on loopback
 * HTTPS with 10,000 learned users (learned from audit_events rows in the embedded store through
 * queries/guard_learn.sql, as in production), against a minimal HTTPS server in the same run that
 * parses the review and answers "allowed" (a correct webhook must at least echo the uid). The
 * load generator (guard-load.mjs) runs in its own process; each server is measured alone. Every
 * review is the guard's expensive path: a full Ingress update that drops pathType, by a random
 * learned user (half on 1.16 clients: denied, half on 1.18: allowed). Prints one JSON line.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { builtinChanges } from '../../packages/catalog/src/index.js';
import {
  compileGuardPolicy,
  decide,
  parseGuardPolicy,
  readReview,
  reviewResponse,
} from '../../packages/guard/src/index.js';
import { admissionReview, INGRESS, ingress } from '../../packages/guard/src/testing.js';
import { createLogger } from '../../packages/observability/src/index.js';
import { auditRow } from '../../packages/ranking/src/testing.js';
import { insertRows, migrate, openStore } from '../../packages/store/src/index.js';
import { startGuard } from '../../services/guard/src/index.js';
import { selfSignedCert } from '../support/tls.js';

const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
/** Rounds of (minimal, guard), alternating so both see the same machine noise; medians reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const tls = selfSignedCert();
const dir = mkdtempSync(join(tmpdir(), 'radar-bench-guard-'));
const store = await openStore({ dataDir: dir, database: 'radar_bench' });
await migrate(store);
const day = new Date(Date.now() - 86_400_000);
const rows = Array.from({ length: USERS }, (_, i) =>
  auditRow({
    id: `u${i}`,
    ts: day,
    client: `bot-${i % 50}`,
    kube: i % 2 ? 18 : 16,
    verb: 'update',
    group: 'networking.k8s.io',
    version: 'v1beta1',
    resource: 'ingresses',
    user: `system:serviceaccount:team-${i % 97}:bot-${i}`,
  }),
);
await insertRows(store, 'audit_events', rows);

const bodies = Array.from({ length: 500 }, (_, i) => {
  const u = (i * 7919) % USERS;
  return JSON.stringify(
    admissionReview({
      ...INGRESS,
      uid: `bench-${i}`,
      username: `system:serviceaccount:team-${u % 97}:bot-${u}`,
      namespace: `team-${u % 97}`,
      object: ingress(undefined, `ing-${i}`),
      oldObject: ingress('Prefix', `ing-${i}`),
    }),
  );
});
const bodiesFile = join(dir, 'bodies.json');
writeFileSync(bodiesFile, JSON.stringify(bodies));

// Asynchronous: the servers answer on this process's event loop meanwhile.
async function load(port: number): Promise<Record<string, number>> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      join(import.meta.dirname, 'guard-load.mjs'),
      String(port),
      tls.certFile,
      bodiesFile,
      String(SECONDS),
      String(CONCURRENCY),
    ],
    { encoding: 'utf8' },
  );
  return JSON.parse(stdout);
}

// Baseline: parse, echo the uid, allow.
const minimal = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const uid = JSON.parse(Buffer.concat(chunks).toString('utf8')).request.uid;
    const text = JSON.stringify({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid, allowed: true },
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
});
await new Promise<void>((r) => minimal.listen(0, '127.0.0.1', r));
const minimalPort = (minimal.address() as AddressInfo).port;

const guard = await startGuard(
  {
    host: '127.0.0.1',
    port: 0,
    cert: tls.cert,
    key: tls.key,
    from: '1.17',
    to: '1.18',
    mode: 'deny',
    policy: parseGuardPolicy({}, 'bench'),
    learnMs: 14 * 86_400_000,
    refreshMs: 3_600_000,
    maxStalenessMs: 3_600_000,
    maxBodyBytes: 8 * 1024 * 1024,
    requestTimeoutMs: 10_000,
    cluster: '',
  },
  { store: async () => store, changes: builtinChanges(), log: createLogger('guard-bench', 'silent') },
);
/** Per key, the median over rounds. */
function median(xs: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(xs[0]!)) {
    const v = xs.map((x) => x[k]!).sort((a, b) => a - b);
    out[k] = v[Math.floor(v.length / 2)]!;
  }
  return out;
}

const loadStart = performance.now();
while (!guard.learner.current()) await new Promise((r) => setTimeout(r, 20));
const tableLoadMs = Math.round(performance.now() - loadStart);
const learnedUsers = guard.learner.current()!.users.size;
// The guard's own work per review, in-process (no TLS, no HTTP): read + decide + answer, against
// JSON.parse of the same bodies (what any webhook must do).
function perReviewUs(fn: (body: string) => void): number {
  const n = 20_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(bodies[i % bodies.length]!);
  return Number((((performance.now() - t0) / n) * 1000).toFixed(1));
}
const table = guard.learner.current()!;
const deps = { rules: guard.rules, table, policy: compileGuardPolicy(parseGuardPolicy({}, 'bench'), 'deny') };
const parseUs = perReviewUs((b) => JSON.parse(b));
const decisionUs = perReviewUs((b) => {
  const r = readReview(b);
  if (r.kind === 'ok') JSON.stringify(reviewResponse(r.request.uid, decide(r.request, deps)));
});

const rounds: { guard: Record<string, number>; minimal: Record<string, number> }[] = [];
for (let i = 0; i < ROUNDS; i++)
  rounds.push({ minimal: await load(minimalPort), guard: await load(guard.port) });
minimal.close();
minimal.closeAllConnections();
await guard.close();
await store.close();

process.stdout.write(
  `${JSON.stringify({
    bench: 'guard',
    learnedUsers,
    tableLoadMs,
    reviewBytes: Math.round(bodies.reduce((n, b) => n + b.length, 0) / bodies.length),
    seconds: SECONDS,
    concurrency: CONCURRENCY,
    inProcess: { parseUs, decisionUs },
    rounds: ROUNDS,
    guard: median(rounds.map((r) => r.guard)),
    minimal: median(rounds.map((r) => r.minimal)),
    ratio: median(
      rounds.map((r) => ({ ratio: Number((r.guard.perSecond! / r.minimal.perSecond!).toFixed(3)) })),
    ).ratio,
    perRound: rounds,
    targets: { p99Ms: 5, ratio: 0.5 },
  })}\n`,
);
