// How long the host sleeps before asking for a dispatch's result (the DAG build's and the
// search's), and how much work the next DAG-build dispatch gets, from the rates measured so
// far. The DAG build's first dispatch is not measured: it carries the kernel's compile
// (lavapipe compiles at the first dispatch, minutes with a cold shader cache), and a rate taken
// from it once sized every later dispatch at the minimum with a sleep of seconds each, which a
// sleep-bounded measurement could not correct (a 1 GiB build that never ended).

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

/**
 * How long the host sleeps before reading a search batch back. 'expected' (a GPU): through most
 * of the batch's expected time at the rate measured so far. 'earliest' (a software adapter, whose
 * "GPU" is the host's cores): through most of the time it takes at the fastest rate measured,
 * which it cannot beat. A rate measured across a stall (a run queued behind another's batches,
 * a new epoch) sized sleeps past the end of the work, and lavapipe's queue ran dry while the host
 * slept (half the cores idle after an epoch change); not sleeping at all polls Dawn every
 * millisecond, a few percent of a core taken from the kernel. 'none': tuning, whose
 * measurements must not be bounded by a sleep sized from an older estimate.
 */
export type ReadbackSleep = 'expected' | 'earliest' | 'none';

/** When a queued batch is done, by the two estimates. */
export interface BatchDone {
  /** At the rate measured so far. */
  readonly expected: number;
  /** At the fastest rate measured, if it starts as soon as it can. */
  readonly earliest: number;
}

/** A search runner's rate estimates and the sleeps they size. */
export class ReadbackClock {
  /** Items per millisecond as estimated so far (0 until the first measurement). */
  private rate = 0;
  /** The fastest throughput measured. */
  private fastest = 0;

  constructor(public sleep: ReadbackSleep) {}

  get measuredRate(): number {
    return this.rate;
  }

  /**
   * A throughput measured over a run so far; `readyOnWake` when the batch was done as the host
   * woke. Such a measurement is bounded by the sleep, so it steps the fastest rate up as it does
   * the estimate: taken as it is, a fastest rate once measured low (a new device's first run,
   * behind a stall) sized sleeps past the work that no later measurement could correct.
   */
  measured(rate: number, readyOnWake: boolean): void {
    this.rate = nextRate(this.rate, rate, readyOnWake);
    this.fastest = Math.max(this.fastest, rate) * (readyOnWake ? 2 : 1);
  }

  /** When a batch of `items` queued at `now` behind `previous` (a batch of the same run) is done. */
  doneAt(previous: BatchDone | undefined, now: number, items: number): BatchDone {
    const after = (from: number | undefined, rate: number) => Math.max(from ?? now, now) + (rate > 0 ? items / rate : 0);
    return { expected: after(previous?.expected, this.rate), earliest: after(previous?.earliest, this.fastest) };
  }

  /** Milliseconds to sleep at `now` before reading back a batch done at `done`. */
  sleepMs(done: BatchDone, now: number): number {
    if (this.sleep === 'none') return 0;
    return (this.sleep === 'expected' ? done.expected : done.earliest) - now;
  }
}
