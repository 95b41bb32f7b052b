import { randomBytes } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

/** Where a record starts (or the log ends): its segment's number and the byte offset in it. */
export interface Position {
  segment: number;
  offset: number;
}

/** The exact record range of the insert in progress: [from, to). */
export interface Intent {
  from: Position;
  to: Position;
}

/**
 * What is stored: every record before `done` is inserted; `intent`, when set, is the range being
 * inserted now, so a restart inserts that same range again with the same dedup token.
 */
export interface Checkpoint {
  /**
   * This spool's own name, made when it is created: positions restart at 0 in a new spool (the
   * directory deleted or moved) while the store keeps the tokens of the old one's inserts, and an
   * equal token would make the engine drop new rows as repeats.
   */
  id: string;
  done: Position;
  intent?: Intent | undefined;
}

export const FILE = 'checkpoint.json';

export const comparePos = (a: Position, b: Position): number =>
  a.segment !== b.segment ? a.segment - b.segment : a.offset - b.offset;

/** The insert's dedup token: the range, so the same records always carry the same token. */
export const rangeToken = (id: string, r: Intent): string =>
  `spool-${id}-${r.from.segment}-${r.from.offset}-${r.to.segment}-${r.to.offset}`;

const ID = /^[0-9a-f]{8,32}$/;

const isPos = (p: unknown): p is Position =>
  typeof p === 'object' &&
  p !== null &&
  Number.isSafeInteger((p as Position).segment) &&
  Number.isSafeInteger((p as Position).offset) &&
  (p as Position).segment >= 0 &&
  (p as Position).offset >= 0;

/** The checkpoint in dir; a missing one is a new spool's (written at once). A damaged one throws. */
export async function readCheckpoint(dir: string): Promise<Checkpoint> {
  let text: string;
  try {
    text = await readFile(join(dir, FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    const cp = { id: randomBytes(8).toString('hex'), done: { segment: 0, offset: 0 } };
    await writeCheckpoint(dir, cp);
    return cp;
  }
  const damaged = () => new Error(`spool checkpoint ${join(dir, FILE)} is damaged: ${text.slice(0, 200)}`);
  let cp: Checkpoint;
  try {
    cp = JSON.parse(text) as Checkpoint;
  } catch {
    throw damaged();
  }
  // Written only by writeCheckpoint (atomically): anything else is a damaged disk, not input.
  if (
    typeof cp !== 'object' ||
    cp === null ||
    typeof cp.id !== 'string' ||
    !ID.test(cp.id) ||
    !isPos(cp.done) ||
    (cp.intent && !(isPos(cp.intent.from) && isPos(cp.intent.to)))
  )
    throw damaged();
  return cp;
}

/** Replaces the checkpoint atomically: a temp file, fsync, rename over, fsync of the directory. */
export async function writeCheckpoint(dir: string, cp: Checkpoint): Promise<void> {
  const tmp = join(dir, `${FILE}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(JSON.stringify(cp));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, FILE));
  await syncDir(dir);
}

export async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
