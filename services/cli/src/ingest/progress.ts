import type { Progress } from '@radar/ingest';

/** Inputs that take less than this are done before a progress line would help. */
const QUIET_MS = 1000;

export interface ProgressLine {
  update(p: Progress): void;
  /** Clears the line before the summary is printed. */
  done(): void;
}

/**
 * A one-line progress display on stderr when it is a terminal (silent when piped): bytes read,
 * events/s, and the share done and an ETA when the input's size is known.
 */
export function progressLine(totalBytes: number, stream: NodeJS.WriteStream = process.stderr): ProgressLine {
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    update(p) {
      if (!stream.isTTY) return;
      const now = Date.now();
      if (now - started < QUIET_MS || now - last < 250) return;
      last = now;
      shown = true;
      stream.write(`\r\x1b[K${describe(p, totalBytes, (now - started) / 1000)}`);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}

export function describe(p: Progress, totalBytes: number, seconds: number): string {
  const rate = Math.round(p.events / Math.max(0.001, seconds));
  const parts = [`${mib(p.bytes)}${totalBytes ? ` of ${mib(totalBytes)}` : ''} read`];
  if (totalBytes) parts.unshift(`${((100 * p.bytes) / totalBytes).toFixed(1)}%`);
  parts.push(`${p.events} events, ${p.stored} stored, ${rate} events/s`);
  if (totalBytes && p.bytes > 0 && p.bytes < totalBytes) {
    const eta = Math.round(((totalBytes - p.bytes) * seconds) / p.bytes);
    parts.push(`ETA ${Math.floor(eta / 60)}:${String(eta % 60).padStart(2, '0')}`);
  }
  return parts.join(', ');
}

const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
