// Folds repeated log lines: the first line of a kind from one source (a remote address) is
// written at once; the rest within the window are counted and written as one summary when the
// window closes. A flood of bad requests then costs a line or two per address per minute.
import { type Logger, type LogLevel, preview } from './log.js';
import { unrefTimer } from './timers.js';

interface Folded {
  readonly level: LogLevel;
  suppressed: number;
  last: string;
}

export class LogFolder {
  private readonly entries = new Map<string, Folded>();
  /** Lines dropped because too many sources were being tracked at once. */
  private overflow = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly logger: Logger,
    readonly windowMs = 60_000,
    private readonly maxEntries = 10_000,
  ) {
    this.timer = unrefTimer(setInterval(() => this.flush(), windowMs));
  }

  /** Writes `message` unless a line of `kind` from `source` was written in this window already. */
  log(source: string, kind: string, level: LogLevel, message: string): void {
    const key = `${source}\u0000${kind}`;
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      entry.suppressed += 1;
      entry.last = message;
      return;
    }
    if (this.entries.size >= this.maxEntries) {
      this.overflow += 1;
      return;
    }
    this.entries.set(key, { level, suppressed: 0, last: message });
    this.logger(level, message);
  }

  /** Writes one summary per source and kind with lines held back, and starts a new window. */
  flush(): void {
    const seconds = Math.round(this.windowMs / 1000);
    for (const [key, entry] of this.entries) {
      if (entry.suppressed === 0) continue;
      const [source, kind] = key.split('\u0000') as [string, string];
      this.logger(entry.level, `${entry.suppressed} more "${kind}" from ${source} in the last ${seconds} s (last: ${preview(entry.last, 160)})`);
    }
    if (this.overflow > 0) this.logger('warn', `${this.overflow} more log lines from other addresses suppressed in the last ${seconds} s`);
    this.entries.clear();
    this.overflow = 0;
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
  }
}
