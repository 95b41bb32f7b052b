import { createReadStream } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError as RadarInputError } from '@radar/errors';
import { ItemSplitter, type SplitItem } from './items.js';
import { type AuditRecord, LineReader, tooLarge } from './lines.js';

export type { AuditRecord } from './lines.js';

/**
 * A problem with the input as a whole (unreadable, truncated gzip): names the file and position.
 * An input error in the one taxonomy (@radar/errors): exit code 2, never retried.
 */
export class InputError extends RadarInputError {
  override readonly name = 'InputError';
}

export interface ReadOptions {
  /** Called with raw (possibly compressed) bytes read so far, for progress display. */
  onBytes?: (bytes: number) => void;
  /** Per event: a longer line or document item is skipped unread and reported as too-large. */
  maxEventBytes?: number;
}

/** How much of the start is looked at to tell JSON lines from one pretty-printed document. */
const PROBE_BYTES = 64 * 1024;

/**
 * Reads an audit log: JSON lines (log backend, AKS/GKE exports), or JSON documents (a webhook
 * EventList or array, possibly pretty-printed, or `jq .` output), told apart by content: a
 * document is JSON that goes on across lines from the first line; a first line cut short by log
 * rotation is not. Documents are streamed item by item; gzip is detected from the magic bytes,
 * not the name. Memory is bounded by one event (`maxEventBytes`) whatever the input's size.
 * Throws InputError for unreadable input or a broken document, after yielding what came before.
 */
export async function* readAuditRecords(
  source: string,
  input: Readable,
  opts: ReadOptions = {},
): AsyncGenerator<AuditRecord> {
  const max = opts.maxEventBytes ?? 4 * 1024 * 1024;
  const raw = await sniffed(input, opts.onBytes);
  const stream = raw.gzip ? raw.stream.pipe(createGunzip()) : raw.stream;
  if (raw.gzip) raw.stream.on('error', (e) => stream.destroy(e));
  const probe: Buffer[] = [];
  let probed = 0;
  let reader: LineReader | DocumentReader | undefined;
  const out: AuditRecord[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (reader) reader.write(chunk, out);
      else {
        probe.push(chunk);
        probed += chunk.length;
        if (probed < PROBE_BYTES) continue;
        reader = readerFor(source, max, probe, false, out);
      }
      yield* out.splice(0);
      if (reader instanceof DocumentReader && reader.failure) throw new InputError(reader.failure);
    }
    reader ??= readerFor(source, max, probe, true, out);
    reader.end(out);
    yield* out.splice(0);
    if (reader instanceof DocumentReader && reader.failure) throw new InputError(reader.failure);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const line = reader?.line ?? 0;
    throw new InputError(`${source}: cannot read input after line ${line}: ${(e as Error).message}`);
  }
}

/** Chooses by the probe's content, then hands it the probe. */
function readerFor(source: string, max: number, probe: Buffer[], eof: boolean, out: AuditRecord[]) {
  const head = Buffer.concat(probe);
  const doc = isDocument(head.subarray(0, PROBE_BYTES), eof && head.length <= PROBE_BYTES);
  const reader = doc ? new DocumentReader(source, max) : new LineReader(source, max);
  for (const p of probe) reader.write(p, out);
  return reader;
}

/**
 * A document starts with "{" or "[", goes on past the first line, and is valid JSON as far as
 * the probe reaches. A JSON-lines file fails this at its first line's end (its first value ended
 * on line 1), and a first line cut short by log rotation fails the grammar within a few tokens.
 */
function isDocument(buf: Buffer, eof: boolean): boolean {
  let i = 0;
  while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x0a || buf[i] === 0x0d || buf[i] === 0x09)) i++;
  if (buf[i] !== 0x7b && buf[i] !== 0x5b) return false;
  const nl = buf.indexOf(10, i);
  if (nl === -1) return false;
  const splitter = new ItemSplitter(0, () => undefined);
  splitter.write(buf.subarray(i));
  if (eof) splitter.end();
  if (splitter.error) return false;
  return splitter.firstEnd === undefined || i + splitter.firstEnd > nl;
}

/** JSON documents, item by item (see ItemSplitter); a broken document ends the reading. */
class DocumentReader {
  failure: string | undefined;
  private items: SplitItem[] = [];
  private readonly splitter: ItemSplitter;

  constructor(
    private readonly source: string,
    private readonly max: number,
  ) {
    this.splitter = new ItemSplitter(max, (item) => this.items.push(item));
  }

  get line(): number {
    return this.splitter.line;
  }

  write(chunk: Buffer, out: AuditRecord[]): void {
    this.splitter.write(chunk);
    this.flush(out);
  }

  end(out: AuditRecord[]): void {
    this.splitter.end();
    this.flush(out);
  }

  private flush(out: AuditRecord[]): void {
    for (const item of this.items) {
      const where = `${this.source}:${item.line}${item.path ? ` ${item.path}` : ''}`;
      if (item.data) out.push({ data: item.data, where });
      else out.push({ where, rejected: tooLarge(item.end - item.start, this.max) });
    }
    this.items = [];
    const err = this.splitter.error;
    if (err && !this.failure) {
      const where = `${this.source}:${this.splitter.line}${err.path ? ` ${err.path}` : ''}`;
      out.push({ where, rejected: { reason: 'invalid-json', detail: err.message.slice(0, 200) } });
      this.failure = `${where}: JSON document broken (${err.message.slice(0, 200)}); nothing after it was read`;
    }
  }
}

/** Peeks at the first bytes to detect gzip, then hands back a stream that still starts at byte 0. */
async function sniffed(
  input: Readable,
  onBytes?: (n: number) => void,
): Promise<{ gzip: boolean; stream: Readable }> {
  const out = new PassThrough();
  let total = 0;
  let first: Buffer | undefined;
  const firstChunk = new Promise<Buffer>((resolve, reject) => {
    input.once('error', reject);
    input.once('end', () => resolve(Buffer.alloc(0)));
    input.on('data', (chunk: Buffer) => {
      total += chunk.length;
      onBytes?.(total);
      if (!first) {
        first = chunk;
        resolve(chunk);
      }
      if (!out.write(chunk)) {
        input.pause();
        out.once('drain', () => input.resume());
      }
    });
  });
  input.on('end', () => out.end());
  input.on('error', (e) => out.destroy(e));
  const head = await firstChunk;
  return { gzip: head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b, stream: out };
}

/** Opens a path, or standard input for "-". */
export function openInput(path: string): Readable {
  // Large reads: a long line passes in fewer chunks.
  return path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1024 * 1024 });
}
