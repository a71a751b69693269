// How much work the next DAG-build dispatch gets and how long the host sleeps before asking
// for it, from the rate measured so far. The first dispatch is not measured: it carries the
// kernel's compile (lavapipe compiles at the first dispatch, minutes with a cold shader cache),
// and a rate taken from it once sized every later dispatch at the minimum with a sleep of
// seconds each, which a sleep-bounded measurement could not correct (a 1 GiB build that
// never ended).

/**
 * The next rate estimate. A measurement is bounded by the sleep it was taken across, so a
 * result that was ready the moment the sleep ended only shows the GPU is at least that fast:
 * the estimate then doubles instead of staying where the old estimate put it.
 */
export function nextRate(previous: number, measured: number, readyOnWake: boolean): number {
  return readyOnWake ? Math.max(previous, measured) * 2 : measured;
}

export interface PacerLimits {
  /** Aim for dispatches of about this long: short enough for smooth progress, long enough to amortise. */
  readonly targetMs: number;
  /** Items in each dispatch before a rate is known. */
  readonly firstItems: number;
  readonly minItems: number;
  readonly maxItems: number;
}

export class DispatchPacer {
  /** Items per millisecond, 0 until the second dispatch completes. */
  private rate = 0;
  private completions = 0;

  constructor(private readonly limits: PacerLimits) {}

  /** Items for the next dispatch, of `remaining`. */
  nextCount(remaining: number): number {
    const { targetMs, firstItems, minItems, maxItems } = this.limits;
    const wanted = this.rate > 0 ? Math.round(this.rate * targetMs) : firstItems;
    return Math.min(remaining, Math.max(minItems, Math.min(maxItems, wanted)));
  }

  /** The expected GPU time of `count` items, 0 while the rate is unknown (the host then does not sleep). */
  expectedMs(count: number): number {
    return this.rate > 0 ? count / this.rate : 0;
  }

  /**
   * A dispatch of `items` completed `elapsedMs` after the later of its submission and the
   * previous completion; `readyOnWake` when it was done as soon as the host woke to ask.
   */
  completed(items: number, elapsedMs: number, readyOnWake: boolean): void {
    if (this.completions++ === 0) return;
    this.rate = nextRate(this.rate, items / Math.max(1, elapsedMs), readyOnWake);
  }
}
