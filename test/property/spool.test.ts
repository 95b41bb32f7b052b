/**
 * The webhook spool (packages/ingest/src/spool) against a REAL embedded-ClickHouse store: any
 * sequence of appends, crashes (a reopen, at times with a torn record left at the end of the
 * newest segment: a process killed mid-append), crashes in the middle of an insert (after the
 * intent, before or after the insert itself) and drains stores every durably appended row exactly
 * once. `FUZZ_RUNS=<runs> pnpm fuzz` runs more; `FUZZ_SEED=<seed>` replays a failure.
 */
import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatRows, encodeRecord, insertIsolating, Spool, SpoolDrainer, spoolTestRows } from '@radar/ingest';
import { openMigratedStore, type Store } from '@radar/store';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const RUNS = Math.max(100, Math.floor(Number(process.env.FUZZ_RUNS ?? 0) / 1000));
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let store: Store;
beforeAll(async () => {
  store = await openMigratedStore({
    dataDir: mkdtempSync(join(tmpdir(), 'radar-prop-spool-')),
    database: 'radar',
  });
});
afterAll(() => store.close());

let runNo = 0;
let idNo = 0;
const rows = (cluster: string, n: number) =>
  spoolTestRows(cluster, n, { cluster, id: () => `${cluster}-${idNo++}` });

type Op =
  | { kind: 'append'; n: number }
  | { kind: 'crash'; tear: number | undefined }
  | { kind: 'crash-mid-insert'; maxRows: number; inserted: boolean }
  | { kind: 'drain'; maxRows: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('append' as const), n: fc.integer({ min: 1, max: 40 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('crash' as const),
      tear: fc.option(fc.double({ min: 0, max: 0.999, noNaN: true }), { nil: undefined }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('crash-mid-insert' as const),
      maxRows: fc.integer({ min: 1, max: 120 }),
      inserted: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('drain' as const), maxRows: fc.integer({ min: 1, max: 120 }) }),
  },
);

describe('spool: appends, crashes and drains store every durable row once', () => {
  it('holds for generated sequences', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1024, max: 32 * 1024 }),
        async (ops, segmentBytes) => {
          const cluster = `spool-prop-${runNo++}`;
          const dir = mkdtempSync(join(tmpdir(), 'radar-prop-spool-dir-'));
          const open = () =>
            Spool.open({ dir, maxBytes: 1 << 30, segmentBytes, diskReserveBytes: 0, log: quiet });
          const drain = async (s: Spool, maxRows: number) => {
            const d = new SpoolDrainer(s, store, {
              maxRows,
              flushMs: 0,
              retryMaxMs: 100,
              log: quiet,
              deadLetter: async () => undefined,
            });
            d.start();
            expect(await d.stop(120_000)).toBe(true);
          };
          let spool = await open();
          let durable = 0;
          for (const o of ops) {
            if (o.kind === 'append') {
              const r = await spool.append(rows(cluster, o.n));
              expect(r.ok).toBe(true);
              durable += o.n;
            } else if (o.kind === 'drain') {
              await drain(spool, o.maxRows);
            } else if (o.kind === 'crash') {
              await spool.close();
              if (o.tear !== undefined) {
                // Killed mid-append: part of a record that was never acknowledged.
                const newest = readdirSync(dir)
                  .filter((f) => f.endsWith('.seg'))
                  .sort()
                  .at(-1);
                const rec = encodeRecord(rows(cluster, 3), Date.now());
                if (newest)
                  appendFileSync(join(dir, newest), rec.subarray(0, Math.floor(o.tear * rec.length)));
              }
              spool = await open();
            } else {
              // As the drainer does: an interrupted insert's range first, exactly.
              const intent = spool.checkpoint().intent;
              const read = await spool.readFront(intent ? { to: intent.to } : { maxRows: o.maxRows });
              if (read.kind === 'rows') {
                await spool.beginInsert({ from: read.from, to: read.to });
                if (o.inserted) await insertIsolating(store, concatRows(read.batches), spool.token(read));
              }
              await spool.close();
              spool = await open();
            }
          }
          await drain(spool, 1000);
          expect(spool.pending().records).toBe(0);
          await spool.close();
          const rs = await store.client.query({
            query:
              'SELECT count() AS n, uniqExact(audit_id) AS ids FROM audit_events WHERE cluster = {c:String}',
            query_params: { c: cluster },
            format: 'JSONEachRow',
          });
          const [got] = await rs.json<{ n: number; ids: number }>();
          expect({ n: Number(got!.n), ids: Number(got!.ids) }).toEqual({ n: durable, ids: durable });
        },
      ),
      { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true },
    );
  });
});
