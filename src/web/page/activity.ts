// One piece of work at a time: the benchmark and the miner share the CPU and GPU, so starting
// one is refused while the other runs, and both modes' buttons follow who holds the page.

export type ActivityName = 'benchmark' | 'mining';

export class Activity {
  private holder: ActivityName | undefined;
  private readonly listeners = new Set<(holder: ActivityName | undefined) => void>();

  get current(): ActivityName | undefined {
    return this.holder;
  }

  /** Takes the page for `name`; false while something else holds it. */
  claim(name: ActivityName): boolean {
    if (this.holder !== undefined) return false;
    this.set(name);
    return true;
  }

  release(name: ActivityName): void {
    if (this.holder === name) this.set(undefined);
  }

  onChange(listener: (holder: ActivityName | undefined) => void): void {
    this.listeners.add(listener);
    listener(this.holder);
  }

  private set(holder: ActivityName | undefined): void {
    this.holder = holder;
    for (const listener of this.listeners) listener(holder);
  }
}

/** Rejects with the signal's reason as soon as it aborts; otherwise settles like `promise`. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
