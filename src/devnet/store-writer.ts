// Runs the devnet's store writes one after another, in the order the state changed.
export class StoreWriter {
  private writes: Promise<void> = Promise.resolve();

  /** `onFailure` hears of every write that fails; later writes still run after it. */
  constructor(private readonly onFailure: (err: Error) => void) {}

  /** Runs `action` after the earlier writes; the promise rejects if it fails. */
  write(action: () => Promise<void>): Promise<void> {
    const run = this.writes.then(action);
    this.writes = run.catch((err: unknown) => this.onFailure(err as Error));
    return run;
  }

  /** Settles once every write started so far has. */
  drained(): Promise<void> {
    return this.writes;
  }
}
