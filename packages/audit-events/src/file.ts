import { createReadStream } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** A problem with the input as a whole (unreadable, truncated gzip): names the file and position. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export interface AuditRecord {
  /** Raw bytes of one line (or of the whole document): UTF-8 is checked by decodeMessage. */
  data: Buffer;
  /** file:line, for error messages and the ingest summary. */
  where: string;
}

export interface ReadOptions {
  /** Called with raw (possibly compressed) bytes read so far, for progress display. */
  onBytes?: (bytes: number) => void;
  /** A whole-document JSON (pretty EventList) larger than this is refused. */
  maxDocumentBytes?: number;
}

/**
 * Reads an audit log: JSON lines (log backend, AKS/GKE exports), or one JSON document (a
 * webhook EventList or array, possibly pretty-printed, recognised by a first line that is not
 * JSON on its own); gzip is detected from the magic bytes, not the name. Lines stay bytes so
 * invalid UTF-8 is reported, not silently replaced. Throws InputError for unreadable input.
 */
export async function* readAuditRecords(
  source: string,
  input: Readable,
  opts: ReadOptions = {},
): AsyncGenerator<AuditRecord> {
  const raw = await sniffed(input, opts.onBytes);
  const stream = raw.gzip ? raw.stream.pipe(createGunzip()) : raw.stream;
  if (raw.gzip) raw.stream.on('error', (e) => stream.destroy(e));
  const maxDoc = opts.maxDocumentBytes ?? 1024 * 1024 * 1024;
  let lineNo = 0;
  let mode: 'unknown' | 'lines' | 'document' = 'unknown';
  const doc: Buffer[] = [];
  let docBytes = 0;
  try {
    for await (const line of splitLines(stream)) {
      lineNo++;
      if (mode === 'document') {
        docBytes += line.length + 1;
        if (docBytes > maxDoc) throw new InputError(`${source}: JSON document larger than ${maxDoc} bytes`);
        doc.push(line);
        continue;
      }
      if (isBlank(line)) continue;
      if (mode === 'unknown') {
        mode = isJson(line) ? 'lines' : 'document';
        if (mode === 'document') {
          doc.push(line);
          docBytes = line.length;
          continue;
        }
      }
      yield { data: line, where: `${source}:${lineNo}` };
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${source}: cannot read input after line ${lineNo}: ${(e as Error).message}`);
  }
  if (mode === 'document') yield { data: Buffer.concat(doc.flatMap((b) => [b, NL])), where: `${source}:1` };
}

const NL = Buffer.from('\n');

async function* splitLines(stream: Readable): AsyncGenerator<Buffer> {
  let rest: Buffer | undefined;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let buf = rest ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let i = buf.indexOf(10, start); i !== -1; i = buf.indexOf(10, start)) {
      const end = i > start && buf[i - 1] === 13 ? i - 1 : i;
      yield buf.subarray(start, end);
      start = i + 1;
    }
    buf = buf.subarray(start);
    rest = buf.length > 0 ? Buffer.from(buf) : undefined;
  }
  if (rest && rest.length > 0) yield rest;
}

function isBlank(b: Buffer): boolean {
  for (const c of b) if (c !== 32 && c !== 9 && c !== 13) return false;
  return true;
}

function isJson(b: Buffer): boolean {
  try {
    JSON.parse(b.toString('utf8'));
    return true;
  } catch {
    return false;
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
  return path === '-' ? process.stdin : createReadStream(path);
}
