// Preloaded with `node --import` by tests: the process's wall clock runs SERO_TEST_CLOCK_SHIFT_MS
// ahead, as if the command were started that much later (a gap between two runs without waiting
// for it). Only Date moves; timers and performance.now() keep real time.
const shiftMs = Number(process.env.SERO_TEST_CLOCK_SHIFT_MS ?? 0);
const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);

class ShiftedDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(realNow() + shiftMs);
    else super(...(args as [string | number | Date]));
  }

  static override now(): number {
    return realNow() + shiftMs;
  }
}

globalThis.Date = ShiftedDate as DateConstructor;
