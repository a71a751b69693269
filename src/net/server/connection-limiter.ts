// Caps the connections a server holds, in all and per remote address, so one client cannot
// take every descriptor. At the cap the oldest connection that has not proved itself (a miner
// that has not logged in yet) makes room; a proven one is never pushed out. Loopback is exempt
// from the per-address cap by default (a local proxy or load test opens many), and a crowd
// behind one NAT address is only ever refused for its count, never banned for it.
import net from 'node:net';

export interface ConnectionLimits {
  /** Connections held at once, all addresses together. */
  readonly maxTotal: number;
  /** Connections held at once from one address (0: no per-address cap). */
  readonly maxPerAddress: number;
  /** Loopback addresses skip the per-address cap (default true). */
  readonly exemptLoopback?: boolean;
}

/** One admitted connection: release it when it closes, protect it once it proved itself. */
export interface Admission {
  readonly address: string;
  protect(): void;
  release(): void;
}

export type AdmitResult = { readonly ok: true; readonly admission: Admission } | { readonly ok: false; readonly reason: string };

interface Entry extends Admission {
  readonly evict: () => void;
  protected: boolean;
  released: boolean;
}

export class ConnectionLimiter {
  /** Insertion order is age order: the first unprotected entry is the oldest. */
  private readonly entries = new Set<Entry>();
  private readonly byAddress = new Map<string, Set<Entry>>();

  constructor(private readonly limits: ConnectionLimits) {
    if (!(limits.maxTotal >= 1)) throw new RangeError('maxTotal must be at least 1');
  }

  get size(): number {
    return this.entries.size;
  }

  countFrom(address: string): number {
    return this.byAddress.get(normalizeAddress(address))?.size ?? 0;
  }

  /** Admits a connection from `address`; `evict` closes it should it have to make room later. */
  admit(rawAddress: string, evict: () => void): AdmitResult {
    const address = normalizeAddress(rawAddress);
    const fromAddress = this.byAddress.get(address);
    const capped = this.limits.maxPerAddress > 0 && !(this.limits.exemptLoopback !== false && isLoopback(address));
    if (capped && (fromAddress?.size ?? 0) >= this.limits.maxPerAddress) {
      if (!this.evictOldest(fromAddress!)) return { ok: false, reason: `too many connections from ${address} (limit ${this.limits.maxPerAddress})` };
    }
    if (this.entries.size >= this.limits.maxTotal && !this.evictOldest(this.entries)) {
      return { ok: false, reason: `too many connections (limit ${this.limits.maxTotal})` };
    }
    const entry: Entry = {
      address,
      evict,
      protected: false,
      released: false,
      protect: () => {
        entry.protected = true;
      },
      release: () => this.remove(entry),
    };
    this.entries.add(entry);
    let set = fromAddress;
    if (set === undefined) this.byAddress.set(address, (set = new Set()));
    set.add(entry);
    return { ok: true, admission: entry };
  }

  private evictOldest(pool: Iterable<Entry>): boolean {
    for (const entry of pool) {
      if (entry.protected) continue;
      this.remove(entry);
      entry.evict();
      return true;
    }
    return false;
  }

  private remove(entry: Entry): void {
    if (entry.released) return;
    entry.released = true;
    this.entries.delete(entry);
    const set = this.byAddress.get(entry.address);
    set?.delete(entry);
    if (set?.size === 0) this.byAddress.delete(entry.address);
  }
}

/** `::ffff:1.2.3.4` → `1.2.3.4`, so one client is one address whatever the socket family. */
export function normalizeAddress(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && net.isIPv4(lower.slice(7)) ? lower.slice(7) : lower;
}

export function isLoopback(address: string): boolean {
  const normalized = normalizeAddress(address);
  return normalized === '::1' || (net.isIPv4(normalized) && normalized.startsWith('127.'));
}
