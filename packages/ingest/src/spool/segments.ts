import { mkdir, open, readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDir } from './checkpoint.js';
import { HEADER_BYTES, readHead } from './frame.js';

const NAME = /^(\d{12})\.seg$/;
export const CORRUPT_DIR = 'corrupt';

export const segmentPath = (dir: string, n: number): string =>
  join(dir, `${String(n).padStart(12, '0')}.seg`);

/** The segment numbers in dir, ascending, with their sizes. */
export async function listSegments(dir: string): Promise<{ segment: number; size: number }[]> {
  const out: { segment: number; size: number }[] = [];
  for (const name of await readdir(dir)) {
    const m = NAME.exec(name);
    if (!m) continue;
    const segment = Number(m[1]);
    out.push({ segment, size: (await stat(join(dir, name))).size });
  }
  return out.sort((a, b) => a.segment - b.segment);
}

/** A record found by the scan at open: where it is and what its head says. */
export interface Entry {
  segment: number;
  offset: number;
  bytes: number;
  rows: number;
  appendedAt: number;
}

export type Scan =
  | { kind: 'ok'; entries: Entry[] }
  /** An incomplete record reaching the end of the file, from `end` on. */
  | { kind: 'torn'; entries: Entry[]; end: number }
  /** A head that cannot be a record's, or a record running past the end of a sealed segment. */
  | { kind: 'bad'; entries: Entry[]; at: number };

/** Reads the heads of the records of one segment from `from` on (payloads are checked when read). */
export async function scanSegment(dir: string, segment: number, from: number, size: number): Promise<Scan> {
  const fh = await open(segmentPath(dir, segment), 'r');
  const head = Buffer.alloc(HEADER_BYTES + 12);
  const entries: Entry[] = [];
  try {
    let at = from;
    while (at < size) {
      const { bytesRead } = await fh.read(head, 0, head.length, at);
      const h = bytesRead === head.length ? readHead(head) : undefined;
      if (bytesRead < head.length) return { kind: 'torn', entries, end: at };
      if (!h) return { kind: 'bad', entries, at };
      if (at + h.bytes > size) return { kind: 'torn', entries, end: at };
      entries.push({ segment, offset: at, bytes: h.bytes, rows: h.rows, appendedAt: h.appendedAt });
      at += h.bytes;
    }
    return { kind: 'ok', entries };
  } finally {
    await fh.close();
  }
}

/** Moves a segment to <dir>/corrupt/ (kept for a person to look at), durably. */
export async function moveAside(dir: string, segment: number): Promise<string> {
  const aside = join(dir, CORRUPT_DIR);
  await mkdir(aside, { recursive: true });
  const to = join(aside, `${String(segment).padStart(12, '0')}.seg`);
  await rename(segmentPath(dir, segment), to);
  await syncDir(aside);
  await syncDir(dir);
  return to;
}
