import { buildUserTable, type LearnedRow, type UserTable } from '@radar/guard';

export interface LearnerOptions {
  load: () => Promise<LearnedRow[]>;
  refreshMs: number;
  /** Older than this, the table is not trusted: the guard allows (and says so in a metric). */
  maxStalenessMs: number;
  now?: () => number;
  onLoaded?: (table: UserTable, ms: number) => void;
  onError?: (err: unknown) => void;
}

/**
 * The learned table, reloaded in the background every refreshMs (one load at a time; a failed
 * load keeps the previous table until it grows stale). The admission path only calls current().
 */
export class Learner {
  private table: UserTable | undefined;
  private loadedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly opts: LearnerOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Starts the refresh loop; resolves after the first attempt (whatever its outcome). */
  async start(): Promise<void> {
    await this.refresh();
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.refresh().finally(() => this.schedule());
    }, this.opts.refreshMs);
    this.timer.unref();
  }

  /** One load now; never throws (errors go to onError). */
  async refresh(): Promise<boolean> {
    const t0 = this.now();
    try {
      const table = buildUserTable(await this.opts.load());
      this.table = table;
      this.loadedAt = this.now();
      this.opts.onLoaded?.(table, this.loadedAt - t0);
      return true;
    } catch (err) {
      this.opts.onError?.(err);
      return false;
    }
  }

  /** The table, or undefined when never loaded or stale. */
  current(): UserTable | undefined {
    if (!this.table || this.now() - this.loadedAt > this.opts.maxStalenessMs) return undefined;
    return this.table;
  }

  /** Seconds since the last successful load; -1 before the first. */
  ageSeconds(): number {
    return this.table ? (this.now() - this.loadedAt) / 1000 : -1;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
