import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openInput } from '@radar/audit-events';
import { UserAgentParser } from '@radar/client-identity';
import { bodyConfigFromEnv } from '@radar/field-paths';
import { ingestStream, type Progress } from '@radar/ingest';
import type { Command } from 'commander';
import { withStore } from '../context.js';
import { UsageError } from '../errors.js';

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description(
      'ingest an audit log file (JSON lines, EventList JSON, AKS/GKE exports; gzip or not) or - for stdin',
    )
    .requiredOption('--file <path>', 'audit log file, or - for standard input')
    .option('--data-dir <dir>', 'embedded ClickHouse data directory (default $RADAR_DATA_DIR or ./.radar)')
    .option('--cluster <name>', 'cluster name stored on every request (default $RADAR_CLUSTER_NAME)')
    .option('--chunk-lines <n>', 'lines per insert', '20000')
    .action(async (opts: { file: string; dataDir?: string; cluster?: string; chunkLines: string }) => {
      const chunkLines = Number(opts.chunkLines);
      if (!Number.isInteger(chunkLines) || chunkLines < 1)
        throw new UsageError('--chunk-lines must be a positive integer');
      let size = 0;
      let path = opts.file;
      if (path === '-') {
        // Spooled before the store opens: the embedded engine reads standard input at start-up
        // when it is not a terminal, and would race us for the first lines.
        path = await spoolStdin();
        size = (await stat(path)).size;
      } else {
        try {
          size = (await stat(opts.file)).size;
        } catch {
          throw new UsageError(`--file ${opts.file}: no such file`);
        }
      }
      const summary = await withStore(opts, async (store, cfg) => {
        const parser = new UserAgentParser(10_000);
        return ingestStream(
          store,
          openInput(path),
          {
            cluster: opts.cluster ?? cfg.RADAR_CLUSTER_NAME,
            source: opts.file === '-' ? 'stdin' : opts.file,
            decode: { maxBytes: cfg.INGEST_MAX_EVENT_BYTES },
            chunkLines,
          },
          { parseUserAgent: (ua) => parser.parse(ua), bodies: bodyConfigFromEnv(cfg) },
          progressPrinter(size),
        );
      });
      if (path !== opts.file) await rm(dirname(path), { recursive: true, force: true });
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      if (summary.error) process.exitCode = 1;
    });
}

async function spoolStdin(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'radar-stdin-'));
  const path = join(dir, 'stdin');
  await pipeline(process.stdin, createWriteStream(path));
  return path;
}

/** A one-line progress display on a terminal; silent when stderr is piped. */
function progressPrinter(totalBytes: number): ((p: Progress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  const started = Date.now();
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 250) return;
    last = now;
    const pct = totalBytes ? ` ${((100 * p.bytes) / totalBytes).toFixed(1)}%` : '';
    const rate = Math.round(p.events / Math.max(0.001, (now - started) / 1000));
    process.stderr.write(`\r\x1b[K${pct} ${p.events} events read, ${p.stored} stored, ${rate} events/s`);
  };
}
