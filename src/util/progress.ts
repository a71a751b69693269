// A one-line progress bar with an ETA for long jobs (DAG builds) on stderr. On a terminal it
// redraws in place; elsewhere (logs, CI) it prints a line every 10%.

export interface ProgressBar {
  update(done: number, total: number): void;
  /** Ends the line (the bar stays visible). */
  finish(): void;
}

export interface ProgressOptions {
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Redraw at most this often on a terminal. */
  readonly intervalMs?: number;
  /** Stay silent for jobs that finish within this time. */
  readonly quietMs?: number;
  readonly now?: () => number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Seconds left, extrapolated from the rate so far (undefined until there is a rate). */
export function estimateRemaining(done: number, total: number, elapsedSeconds: number): number | undefined {
  if (done <= 0 || elapsedSeconds <= 0) return undefined;
  return ((total - done) * elapsedSeconds) / done;
}

export function createProgressBar(label: string, options: ProgressOptions = {}): ProgressBar {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const interval = options.intervalMs ?? 100;
  const quiet = options.quietMs ?? 0;
  const tty = Boolean(stream.isTTY);
  const started = now();
  let lastDraw = -Infinity;
  let lastDecile = -1;
  let drawn = false;

  const render = (done: number, total: number): string => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const elapsed = (now() - started) / 1000;
    const remaining = estimateRemaining(done, total, elapsed);
    const eta = fraction >= 1 ? `done in ${formatDuration(elapsed)}` : `ETA ${remaining === undefined ? '?' : formatDuration(remaining)}`;
    const width = 30;
    const filled = Math.round(fraction * width);
    return `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(1).padStart(5)}% ${eta}`;
  };

  return {
    update(done, total) {
      if (now() - started < quiet) return;
      if (tty) {
        const t = now();
        if (t - lastDraw < interval && done < total) return;
        lastDraw = t;
        stream.write(`\r${render(done, total)}\x1b[K`);
        drawn = true;
      } else {
        const decile = total > 0 ? Math.floor((10 * done) / total) : 10;
        if (decile === lastDecile) return;
        lastDecile = decile;
        stream.write(`${render(done, total)}\n`);
      }
    },
    finish() {
      if (tty && drawn) stream.write('\n');
    },
  };
}
