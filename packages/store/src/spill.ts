import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Table and column names go into the statement text: plain identifiers only. */
export function checkNames(table: string, columns: readonly string[] | undefined): void {
  if (!NAME.test(table)) throw new Error(`bad table name: ${table}`);
  for (const c of columns ?? []) if (!NAME.test(c)) throw new Error(`bad column name: ${c}`);
}

const SPILL_SUFFIX = '.insert';

/** Bytes to insert: one body, or parts written one after the other (not joined first). */
export type Bytes = Uint8Array | readonly Uint8Array[];

export function partsOf(b: Bytes): readonly Uint8Array[] {
  return Array.isArray(b) ? (b as readonly Uint8Array[]) : [b as Uint8Array];
}

export function byteLength(b: Bytes): number {
  let n = 0;
  for (const p of partsOf(b)) n += p.byteLength;
  return n;
}

export interface RawInsert {
  table: string;
  columns: readonly string[];
  format: 'JSONCompactEachRow' | 'JSONEachRow';
  body: Bytes;
  settings: Record<string, string | number>;
}

/**
 * Inserts into the embedded engine by way of a file: the bytes are written to `dir`, read by the
 * engine's `file()` table function, and the file is removed. chDB's own insert of inline bytes
 * costs 11.6-11.8 us of engine CPU per audit_events row against 4.4-4.9 for the same rows read
 * from a file (same run, merges stopped; docs/performance.md "Fourth pass"): the inline data
 * travels with the statement text. Deduplication by token, the views and the refusal of bad rows
 * (same engine error codes) behave the same both ways (packages/store/src/spill.test.ts).
 */
export class SpillInserts {
  private seq = 0;

  /** Creates `dir` and removes what a process that died mid-insert left there (the store's lock is held). */
  constructor(
    private readonly client: ClickHouseClient,
    private readonly dir: string,
  ) {
    mkdirSync(dir, { recursive: true });
    for (const f of readdirSync(dir)) if (f.endsWith(SPILL_SUFFIX)) rmSync(join(dir, f), { force: true });
  }

  async insert(p: RawInsert): Promise<void> {
    // Also here: benchmarks and tests call the store's rawInsert directly.
    checkNames(p.table, p.columns);
    const path = join(this.dir, `${process.pid}-${++this.seq}${SPILL_SUFFIX}`);
    try {
      // A failed write (a full disk) is an infrastructure error: the caller retries, and what it
      // left is removed below.
      await writeFile(path, p.body).catch(async (e: NodeJS.ErrnoException) => {
        // The directory was removed under a running store (a cleanup of the data dir): remake it.
        if (e.code !== 'ENOENT') throw e;
        mkdirSync(this.dir, { recursive: true });
        await writeFile(path, p.body);
      });
      // The column list makes the engine read the file with the insertion table's types
      // (use_structure_from_insertion_table_in_table_functions), so nothing is inferred.
      await this.client.command({
        query: `INSERT INTO ${p.table} (${p.columns.join(', ')}) SELECT * FROM file({spill:String}, '${p.format}') SETTINGS ${settingsClause(p.settings)}`,
        query_params: { spill: path },
      });
    } catch (err) {
      throw engineError(err, path);
    } finally {
      await rm(path, { force: true });
    }
  }
}

/**
 * chDB's client connection rethrows the engine's error as a ClickHouseError holding only the
 * message's middle; the engine's own error (its `cause`) keeps the code, its name and the row, as
 * chDB's inline insert threw it, so dead letters and logs read the same either way.
 */
function engineError(err: unknown, path: string): unknown {
  const cause = (err as { cause?: unknown } | null)?.cause;
  const e = cause instanceof Error && 'clickhouseCode' in cause ? cause : err;
  // The spill file is gone by the time anyone reads this; name the insert instead.
  if (e instanceof Error) e.message = e.message.replaceAll(`(in file/uri ${path})`, '(in the inserted rows)');
  return e;
}

/** `k = v, ...`: names checked, string values quoted with their quotes and backslashes escaped. */
export function settingsClause(settings: Record<string, string | number>): string {
  return Object.entries(settings)
    .map(([k, v]) => {
      if (!NAME.test(k)) throw new Error(`bad setting name: ${k}`);
      return `${k} = ${typeof v === 'number' ? v : `'${v.replace(/[\\']/g, (c) => `\\${c}`)}'`}`;
    })
    .join(', ');
}
