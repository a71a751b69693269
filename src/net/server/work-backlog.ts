// Jobs a server handed out and still accepts shares for: the current height and the two
// before it, as in the official pool (stratum.md 2.5 step 3), at most `maxJobs` of them (a node
// recommits every few seconds, so a long height brings many). Anything else is stale. A longer
// memory of header ids tells a share for an old job from one for a job never handed out.
import type { WorkPackage } from '../wire/work.js';

/** Header ids remembered after their job left the backlog. */
const ISSUED_KEPT = 256;

export class WorkBacklog {
  private readonly byHeader = new Map<string, WorkPackage>();
  private readonly issued = new Set<string>();
  private topHeight = -1;

  constructor(private readonly heightsKept = 3, private readonly maxJobs = 64) {}

  add(work: WorkPackage): void {
    const key = work.jobId.toLowerCase();
    this.byHeader.set(key, work);
    if (!this.issued.has(key)) {
      this.issued.add(key);
      if (this.issued.size > ISSUED_KEPT) this.issued.delete(this.issued.values().next().value!);
    }
    if (work.height > this.topHeight) this.topHeight = work.height;
    for (const [key, entry] of this.byHeader) {
      if (entry.height <= this.topHeight - this.heightsKept) this.byHeader.delete(key);
    }
    if (this.byHeader.size > this.maxJobs) this.byHeader.delete(this.byHeader.keys().next().value!);
  }

  /** Lookup by lowercase `0x` header hex. */
  find(headerHex: string): WorkPackage | undefined {
    return this.byHeader.get(headerHex);
  }

  /** Whether the header (lowercase `0x` hex) was handed out recently, even if it is stale now. */
  wasIssued(headerHex: string): boolean {
    return this.issued.has(headerHex);
  }

  get size(): number {
    return this.byHeader.size;
  }
}
