// The official pool's ban rules per remote address (mine-pool policy/policy.go; stratum.md 2.5):
// every `checkThreshold` shares the invalid/valid ratio is computed and an address at or above
// `invalidPercent` is banned; `malformedLimit` malformed requests ban; a socket flood bans at
// once. Bans last `banMs`. Counts of an address that went quiet are forgotten after `resetMs`.
// Loopback (unless `banLoopback`) and whitelisted addresses are never banned, as the official
// pool's whitelist: what would have banned them only closes the offending connection.
import { isLoopback, normalizeAddress } from '../connection-limiter.js';

export interface BanRules {
  /** How long a ban lasts; 0 turns banning off (default 10 minutes). */
  readonly banMs?: number;
  /** Invalid shares per valid share, in percent, that bans (official: 30). */
  readonly invalidPercent?: number;
  /** Shares between two ratio checks (official: 30). */
  readonly checkThreshold?: number;
  /** Malformed requests that ban (official: 5). */
  readonly malformedLimit?: number;
  /** Counts of an address unseen this long are dropped (official resetInterval: 60 min). */
  readonly resetMs?: number;
  /** Ban loopback addresses too (default false: one bad local client must not lock out every miner on the machine). */
  readonly banLoopback?: boolean;
  /** Addresses never banned (the official pool's whitelist). */
  readonly whitelist?: readonly string[];
}

export interface Ban {
  readonly reason: string;
  readonly until: number;
  /** Why the address was not banned after all (loopback, whitelisted): only the offending connection goes. */
  readonly spared?: string;
}

interface AddressStats {
  valid: number;
  invalid: number;
  malformed: number;
  lastSeen: number;
  ban?: Ban;
}

export const DEFAULT_BAN_MS = 10 * 60_000;
/** Addresses tracked at once; past it the quietest unbanned ones are forgotten first. */
const MAX_TRACKED = 65_536;

export class BanPolicy {
  private readonly stats = new Map<string, AddressStats>();
  private readonly banMs: number;
  private readonly invalidRatio: number;
  private readonly checkThreshold: number;
  private readonly malformedLimit: number;
  private readonly resetMs: number;
  private readonly banLoopback: boolean;
  private readonly whitelist: ReadonlySet<string>;
  private lastSweep: number;

  constructor(rules: BanRules = {}, private readonly now: () => number = Date.now) {
    this.banMs = rules.banMs ?? DEFAULT_BAN_MS;
    this.invalidRatio = (rules.invalidPercent ?? 30) / 100;
    this.checkThreshold = Math.max(1, rules.checkThreshold ?? 30);
    this.malformedLimit = Math.max(1, rules.malformedLimit ?? 5);
    this.resetMs = rules.resetMs ?? 60 * 60_000;
    this.banLoopback = rules.banLoopback === true;
    this.whitelist = new Set((rules.whitelist ?? []).map(normalizeAddress));
    this.lastSweep = now();
  }

  get enabled(): boolean {
    return this.banMs > 0;
  }

  /** The ban in force on `address`, if any. */
  banOf(address: string): Ban | undefined {
    const entry = this.stats.get(normalizeAddress(address));
    if (entry?.ban === undefined) return undefined;
    if (entry.ban.until > this.now()) return entry.ban;
    this.stats.delete(normalizeAddress(address));
    return undefined;
  }

  /** Counts a share's verdict; returns the ban it tripped, if it did. */
  recordShare(address: string, valid: boolean): Ban | undefined {
    if (!this.enabled) return undefined;
    const entry = this.touch(address);
    if (valid) entry.valid += 1;
    else entry.invalid += 1;
    if (entry.valid + entry.invalid < this.checkThreshold) return undefined;
    const { valid: good, invalid: bad } = entry;
    entry.valid = entry.invalid = 0;
    // As the official pool: invalid / valid, so a window with no valid share always bans.
    if (bad / good >= this.invalidRatio) return this.ban(address, `${bad} invalid of ${good + bad} shares`);
    return undefined;
  }

  /** Counts a malformed request; returns the ban it tripped, if it did. */
  recordMalformed(address: string): Ban | undefined {
    if (!this.enabled) return undefined;
    const entry = this.touch(address);
    entry.malformed += 1;
    return entry.malformed >= this.malformedLimit ? this.ban(address, `${entry.malformed} malformed requests`) : undefined;
  }

  /** Bans at once (a socket flood); returns the ban, or undefined when banning is off. */
  ban(address: string, reason: string): Ban | undefined {
    if (!this.enabled) return undefined;
    const entry = this.touch(address);
    const spared = this.sparedReason(address);
    if (spared !== undefined) {
      // the counts start afresh, so each further offence is judged (and spared) on its own
      entry.valid = entry.invalid = entry.malformed = 0;
      return { reason, until: this.now(), spared };
    }
    entry.ban ??= { reason, until: this.now() + this.banMs };
    return entry.ban;
  }

  /** Why `address` is never banned, if it is not. */
  sparedReason(address: string): string | undefined {
    const key = normalizeAddress(address);
    if (this.whitelist.has(key)) return 'whitelisted';
    if (!this.banLoopback && isLoopback(key)) return 'loopback';
    return undefined;
  }

  private touch(address: string): AddressStats {
    const key = normalizeAddress(address);
    const now = this.now();
    if (now - this.lastSweep > 60_000) this.sweep(now);
    let entry = this.stats.get(key);
    if (entry === undefined) {
      if (this.stats.size >= MAX_TRACKED) this.forgetOne();
      entry = { valid: 0, invalid: 0, malformed: 0, lastSeen: now };
      this.stats.set(key, entry);
    }
    entry.lastSeen = now;
    return entry;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, entry] of this.stats) {
      if (entry.ban !== undefined && entry.ban.until > now) continue;
      // An expired ban starts the address afresh, as does a long silence.
      if (entry.ban !== undefined || now - entry.lastSeen >= this.resetMs) this.stats.delete(key);
    }
  }

  private forgetOne(): void {
    for (const [key, entry] of this.stats) {
      if (entry.ban === undefined) {
        this.stats.delete(key);
        return;
      }
    }
    // Every tracked address is banned: the oldest ban goes.
    const first = this.stats.keys().next();
    if (!first.done) this.stats.delete(first.value);
  }
}
