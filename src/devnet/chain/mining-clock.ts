// When the devnet's chain was being mined: while a stratum miner is logged in, and for a while
// after each getwork call. A pause (the process was down, or no miner was connected) is not
// block time: the retarget counts at most one block time of it (difficulty.ts), so a chain
// picked up again minutes later is not taken for minutes of slow blocks.

/** A getwork call counts as mining for this long after it (serominer polls every 0.5 s, 30 s after an error). */
export const GETWORK_LEASE_MS = 30_000;
/** Mining spans kept at most; past it the two oldest merge (their gap then counts as mined). */
const MAX_SPANS = 256;

export class MiningClock {
  /** Closed spans of mining time, [from, to] in ms, oldest first, not overlapping. */
  private readonly spans: [number, number][] = [];
  private sessions = 0;
  private sessionsSince = 0;

  /** `always`: every moment counts as mined (a chain whose every pause is block time, as the plain rule). */
  constructor(private readonly always = false) {}

  /** The stratum server's logged-in sessions changed to `count`. */
  setSessions(count: number, nowMs: number): void {
    if (this.sessions === 0 && count > 0) this.sessionsSince = nowMs;
    if (this.sessions > 0 && count === 0) this.add(this.sessionsSince, nowMs);
    this.sessions = count;
  }

  /** A getwork call: the chain counts as mined for the lease after it. */
  polled(nowMs: number): void {
    this.add(nowMs, nowMs + GETWORK_LEASE_MS);
  }

  isMining(nowMs: number): boolean {
    return this.always || this.sessions > 0 || this.spans.some(([from, to]) => from <= nowMs && nowMs <= to);
  }

  /** Milliseconds of [fromMs, toMs] during which nobody mined. */
  pausedMs(fromMs: number, toMs: number): number {
    if (this.always || toMs <= fromMs) return 0;
    const spans = this.sessions > 0 ? merged([...this.spans, [this.sessionsSince, Infinity]]) : this.spans;
    const mined = spans.reduce((sum, [from, to]) => sum + Math.max(0, Math.min(to, toMs) - Math.max(from, fromMs)), 0);
    return toMs - fromMs - mined;
  }

  /** Spans that ended before `ms` no longer matter (the parent block is newer). */
  forget(ms: number): void {
    while (this.spans.length > 0 && this.spans[0]![1] < ms) this.spans.shift();
  }

  private add(from: number, to: number): void {
    const spans = merged([...this.spans, [from, to]]);
    // past the cap the two oldest spans become one, their gap counted as mined
    while (spans.length > MAX_SPANS) spans.splice(0, 2, [spans[0]![0], spans[1]![1]]);
    this.spans.splice(0, this.spans.length, ...spans);
  }
}

/** The same time as `spans`, sorted, with overlapping spans joined. */
function merged(spans: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  for (const [from, to] of [...spans].sort((a, b) => a[0] - b[0])) {
    const last = out.at(-1);
    if (last !== undefined && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}
