import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import v8 from 'node:v8';
import { openInput } from '@radar/audit-events';
import { UserAgentParser } from '@radar/client-identity';
import { bodyOptionsOf } from '@radar/config';
import { createBodyConfig } from '@radar/field-paths';
import { ingestStream } from '@radar/ingest';
import { checkApiserver } from '@radar/tagger';
import type { Command } from 'commander';
import { cliConfig, withStore } from '../context.js';
import { UsageError } from '../errors.js';
import { cliDecodePool } from '../ingest/decode-pool.js';
import { ingestOldSpaceMb, lowMemoryIngest, relaunchForIngest } from '../ingest/memory.js';
import { progressLine } from '../ingest/progress.js';
import { DEFAULT_STDIN_MAX_BYTES, type Spool, spoolStdin } from '../ingest/spool.js';
import { numberArg } from '../options.js';

/**
 * Lines per decoded chunk, and per insert unless --insert-rows groups them. 10,000 rather than
 * 20,000: peak RSS 1.0-1.1 GB -> ~0.8 GB for the same CPU per event (chunks in flight hold their
 * lines and rows; 5,000 cost +20% CPU: more, smaller inserts and parts; docs/performance.md).
 */
const CHUNK_LINES = 10_000;

interface IngestOptions {
  file: string;
  dataDir?: string;
  cluster?: string;
  chunkLines: number;
  insertRows?: number;
  apiserver?: string;
  apiserverVersion?: string;
  stdinMaxBytes: number;
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description(
      'ingest an audit log file (JSON lines, EventList JSON, AKS/GKE exports; gzip or not) or - for stdin',
    )
    .requiredOption('--file <path>', 'audit log file, or - for standard input')
    .option('--data-dir <dir>', 'embedded ClickHouse data directory (default $RADAR_DATA_DIR or ./.radar)')
    .option('--cluster <name>', 'cluster name stored on every request (default $RADAR_CLUSTER_NAME)')
    .option('--chunk-lines <n>', 'lines per decoded chunk', numberArg(1, 10_000_000), CHUNK_LINES)
    .option(
      '--insert-rows <n>',
      'rows per insert, chunks grouped up to it (default: --chunk-lines); more: less CPU, more memory',
      numberArg(1, 10_000_000),
    )
    .option(
      '--apiserver <name>',
      'the apiserver that wrote this log (its log backend), stored on every request',
    )
    .option('--apiserver-version <version>', "that apiserver's release, e.g. v1.28.3 (with --apiserver)")
    .option(
      '--stdin-max-bytes <n>',
      'with --file -: most bytes standard input may spool before ingest (also capped by free disk)',
      numberArg(1, Number.MAX_SAFE_INTEGER),
      DEFAULT_STDIN_MAX_BYTES,
    )
    .action(async (opts: IngestOptions) => {
      const { chunkLines } = opts;
      const apiserver = checkApiserver(opts.apiserver, opts.apiserverVersion, {
        name: '--apiserver',
        version: '--apiserver-version',
      });
      if ('error' in apiserver) throw new UsageError(apiserver.error);
      const config = cliConfig();
      // First, before standard input or the file is read: the allocator's settings (memory.ts).
      relaunchForIngest(
        {
          platform: process.platform,
          env: process.env,
          execPath: process.execPath,
          execArgv: process.execArgv,
          argv: process.argv,
          execve: process.execve?.bind(process),
        },
        ingestOldSpaceMb(chunkLines, config.INGEST_MAX_EVENT_BYTES, opts.insertRows ?? chunkLines),
      );
      let spool: Spool | undefined;
      try {
        // Spooled before the store opens (see spoolStdin); a file is checked before anything is written.
        if (opts.file === '-') spool = await spoolStdin(process.stdin, { maxBytes: opts.stdinMaxBytes });
        const path = spool?.path ?? opts.file;
        const size = spool ? (await stat(path)).size : await checkFile(path);
        const progress = progressLine(size);
        // Before withStore loads the engine: its allocator reads its settings when it loads.
        lowMemoryIngest({ env: process.env, setV8Flags: (f) => v8.setFlagsFromString(f) });
        const summary = await withStore({ ...opts, cfg: config }, async (store, cfg) => {
          const parser = new UserAgentParser(10_000);
          const cluster = opts.cluster ?? cfg.RADAR_CLUSTER_NAME;
          const source = spool ? 'stdin' : opts.file;
          const decode = { maxBytes: cfg.INGEST_MAX_EVENT_BYTES };
          // The worker's decode threads: the event loop only reads lines while a thread decodes,
          // validates, tags and encodes, and the engine stores (docs/performance.md, file ingest).
          // As many decode threads as the worker takes (one on 2 cores): 0.90x the worker with one,
          // 0.73x without, same run (docs/performance.md). INGEST_DECODE_THREADS=0 decodes here.
          const threads = cfg.INGEST_DECODE_THREADS ?? Math.max(1, Math.min(4, availableParallelism() - 1));
          const pool = cliDecodePool(cfg, cluster, decode, threads);
          let next = 0;
          try {
            return await ingestStream(
              store,
              openInput(path),
              {
                cluster,
                source,
                decode,
                chunkLines,
                ...(opts.insertRows && { insertRows: opts.insertRows }),
                apiserver: apiserver.ok,
              },
              {
                parseUserAgent: (ua) => parser.parse(ua),
                bodies: createBodyConfig(bodyOptionsOf(cfg)),
                ...(pool && {
                  decodeChunk: (lines, recycle) =>
                    pool.decodePacked({
                      returned: recycle,
                      topic: 'file',
                      source: `file:${source}`,
                      apiserver: apiserver.ok,
                      // Chunks take turns over the threads; ingestStream merges them in order.
                      partition: next++,
                      ...lines,
                    }),
                }),
              },
              progress.update,
            );
          } finally {
            await pool?.close();
          }
        });
        progress.done();
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        if (summary.error) process.exitCode = 1;
      } finally {
        spool?.remove();
      }
    });
}

/** Refuses what is not a readable file (a directory, a device) with one line; returns its size. */
async function checkFile(path: string): Promise<number> {
  const st = await stat(path).catch(() => undefined);
  if (!st) throw new UsageError(`--file ${path}: no such file`);
  if (st.isDirectory()) throw new UsageError(`--file ${path}: is a directory, not an audit log file`);
  if (st.isCharacterDevice() || st.isBlockDevice() || st.isSocket())
    throw new UsageError(`--file ${path}: is a device, not an audit log file`);
  await access(path, constants.R_OK).catch(() => {
    throw new UsageError(`--file ${path}: not readable (permission denied)`);
  });
  // A FIFO (process substitution) has no size: progress shows bytes without a share or ETA.
  return st.isFile() ? st.size : 0;
}
