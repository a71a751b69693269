// Slows password guessing on the API port: an address that gives too many wrong passwords in a
// minute has every password refused, right or wrong, until the minute has passed.
/** Wrong passwords an address may give within the window. */
const DEFAULT_LIMIT = 5;
const DEFAULT_WINDOW_MS = 60_000;
/** Addresses remembered at once: the oldest is forgotten first, so memory stays bounded. */
const MAX_ADDRESSES = 1024;

export class PasswordThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit = DEFAULT_LIMIT,
    private readonly windowMs = DEFAULT_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whole seconds the address must still wait before a password is checked again; 0 when it may try. */
  waitSeconds(address: string): number {
    const recent = this.recent(address);
    if (recent.length < this.limit) return 0;
    return Math.max(1, Math.ceil((recent[recent.length - this.limit]! + this.windowMs - this.now()) / 1000));
  }

  fail(address: string): void {
    const recent = this.recent(address);
    recent.push(this.now());
    this.failures.delete(address);
    this.failures.set(address, recent.slice(-this.limit));
    if (this.failures.size > MAX_ADDRESSES) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(address: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.failures.get(address) ?? []).filter((t) => t > since);
  }
}
