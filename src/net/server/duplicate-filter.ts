// Duplicate-share detection keyed on `nonce:header:mix` and kept for the last few heights
// (the official pool keeps 8; stratum.md 2.5 step 6).

export class DuplicateFilter {
  private readonly heights = new Map<number, Set<string>>();
  private topHeight = -1;

  constructor(private readonly heightsKept = 8) {}

  /**
   * Reserves the key; false when it was seen already. Reserving before verification keeps
   * two identical submissions in flight from both passing.
   */
  claim(key: string, height: number): boolean {
    if (this.has(key)) return false;
    let keys = this.heights.get(height);
    if (keys === undefined) this.heights.set(height, (keys = new Set()));
    keys.add(key);
    if (height > this.topHeight) {
      this.topHeight = height;
      for (const h of this.heights.keys()) if (h <= this.topHeight - this.heightsKept) this.heights.delete(h);
    }
    return true;
  }

  /** Gives a reservation back (the share was not valid, so a corrected resend is no duplicate). */
  release(key: string, height: number): void {
    this.heights.get(height)?.delete(key);
  }

  has(key: string): boolean {
    for (const keys of this.heights.values()) if (keys.has(key)) return true;
    return false;
  }
}
