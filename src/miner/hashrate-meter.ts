// Hashrate over a sliding window of recent batches.
export class HashrateMeter {
  private readonly samples: { at: number; hashes: number }[] = [];
  total = 0;

  constructor(private readonly windowMs = 10_000, private readonly now: () => number = () => performance.now()) {}

  add(hashes: number): void {
    const at = this.now();
    this.samples.push({ at, hashes });
    this.total += hashes;
    while (this.samples.length > 1 && at - this.samples[0]!.at > this.windowMs) this.samples.shift();
  }

  /** Hashes per second over the window (0 until two samples exist). */
  rate(): number {
    if (this.samples.length < 2) return 0;
    const first = this.samples[0]!;
    const last = this.samples[this.samples.length - 1]!;
    const span = last.at - first.at;
    if (span <= 0) return 0;
    const hashes = this.samples.reduce((sum, s) => sum + s.hashes, 0) - first.hashes;
    return (hashes * 1000) / span;
  }
}
