// Which pool the pool manager tries next, and how long it waits first: the wait grows
// exponentially with failures in a row, and after `retriesPerPool` failed attempts on one pool
// the next in the list gets its turn (serominer's rule); a pool that refused the login is passed
// over. A session that proved stable forgives the failures.

export interface BackoffSettings {
  /** Wait after the first failed attempt (default 1 s). */
  readonly initialMs?: number;
  /** Upper bound of the wait (default 60 s). */
  readonly maxMs?: number;
  /** Growth per further consecutive failure (default 2). */
  readonly factor?: number;
}

export class FailoverPlan {
  /** Pool the next attempt goes to. */
  index = 0;
  private triesOnPool = 0;
  private failures = 0;
  private readonly backoff: Required<BackoffSettings>;

  constructor(private readonly retriesPerPool: number, backoff: BackoffSettings = {}) {
    this.backoff = { initialMs: backoff.initialMs ?? 1000, maxMs: backoff.maxMs ?? 60_000, factor: backoff.factor ?? 2 };
  }

  /**
   * Counts a failed attempt on the pool at `index` (of `poolCount`), moving on after enough, or
   * at once from a pool that refused the login, to the next that has not; returns the wait
   * before the next attempt.
   */
  failed(poolCount: number, refused: (index: number) => boolean = () => false): number {
    this.failures += 1;
    this.triesOnPool += 1;
    if (this.triesOnPool >= this.retriesPerPool || refused(this.index)) {
      this.triesOnPool = 0;
      const from = this.index;
      do this.index = (this.index + 1) % poolCount;
      while (refused(this.index) && this.index !== from);
    }
    return Math.min(this.backoff.maxMs, this.backoff.initialMs * this.backoff.factor ** (this.failures - 1));
  }

  /** A stable session: the failures so far no longer count. */
  forgive(): void {
    this.failures = 0;
    this.triesOnPool = 0;
  }

  /** The next attempt goes to the pool at `index`, with a clean slate (a switch on request, or back to the primary). */
  startAt(index: number): void {
    this.index = index;
    this.forgive();
  }
}
