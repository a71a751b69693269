// Jobs a server handed out and still accepts shares for: the current height and the two
// before it, as in the official pool (stratum.md 2.5 step 3), at most `maxJobs` of them (a node
// recommits every few seconds, so a long height brings many). Anything else is stale.
import type { WorkPackage } from './work.js';

export class WorkBacklog {
  private readonly byHeader = new Map<string, WorkPackage>();
  private topHeight = -1;

  constructor(private readonly heightsKept = 3, private readonly maxJobs = 64) {}

  add(work: WorkPackage): void {
    this.byHeader.set(work.jobId.toLowerCase(), work);
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

  get size(): number {
    return this.byHeader.size;
  }
}
