// The vote-aware reward ledger: every block candidate the miner submitted, where it was found
// (pool, chain, rules), its votes, and its outcome. The PoW reward is credited only when a block
// is confirmed; orphans credit nothing. State is rebuilt from the journal under the data
// directory, so restarts and crashes lose nothing, and a write that fails is held and retried.
import path from 'node:path';
import { Journal, type JournalStore, type TornRecord } from './journal.js';
import { HeldJournal, type JournalHealth } from './held-journal.js';
import { byChain, totalsOf, type BlockOrigin, type ChainLedger, type LedgerTotals } from './ledger-chains.js';
import { formatSero } from '../util/sero-amount.js';
import { ZERO_HASH } from '../util/hex.js';
import { escapeText } from '../util/log.js';
import { createProfile } from '../chain/profile.js';

export type BlockStatus = 'pending' | 'confirmed' | 'orphaned';

export interface LedgerBlock {
  height: number;
  nonce: string;
  headerHash: string;
  /** ZERO_HASH when not known (a block restored from a torn record): the node then matches the nonce alone. */
  mixDigest: string;
  status: BlockStatus;
  /** Votes that confirm it under the rules it was found under. */
  votesNeeded: number;
  /** Distinct votes seen so far (by voter / share id). */
  voters: string[];
  /** What the block earns once confirmed, in ta. */
  expectedCredit: bigint;
  /** What was credited, in ta (0 until confirmed). */
  credit: bigint;
  submittedAt: number;
  settledAt?: number;
  reason?: string;
  /** Where it was found; empty for records of journals that did not say. */
  origin: BlockOrigin;
}

/** Origin fields of a pending record (absent in journals written before they were kept). */
type OriginFields = { pool?: string; chain?: string; profile?: string };

type Record =
  | ({ t: 'pending'; height: number; nonce: string; headerHash: string; mixDigest: string; expectedCredit: string; votesNeeded?: number; at: number } & OriginFields)
  | { t: 'vote'; nonce: string; height: number; voter: string; at: number }
  /** `chain`: a node found on its chain a block recorded without one. */
  | { t: 'confirmed'; nonce: string; height: number; credit: string; at: number; chain?: string }
  | { t: 'orphaned'; nonce: string; height: number; reason: string; at: number };

/** One line of the ledger's journal. */
export type LedgerRecord = Record;

const key = (height: number, nonce: string) => `${height}:${nonce.toLowerCase()}`;

/** Journals written before votesNeeded was recorded were all seed blocks. */
const LEGACY_VOTES_NEEDED = createProfile('seed').votesNeeded;

/** A record a crash tore, and the block it was about (when that much of it was written). */
export interface DroppedRecord extends TornRecord {
  readonly type?: Record['t'];
  readonly height?: number;
  readonly nonce?: string;
  /** What of its origin was written (a pending record's). */
  readonly origin: BlockOrigin;
}

/** The journal's name in a data directory. */
export const LEDGER_FILE = 'ledger.jsonl';

export interface LedgerOptions {
  /** How often records a write refused are tried again (default 5 s). */
  readonly retryMs?: number;
}

export class Ledger {
  private readonly blocks = new Map<string, LedgerBlock>();
  private readonly store: JournalStore<Record>;
  private readonly journal: HeldJournal<Record>;
  /** The final record, torn by a crash and dropped on replay. */
  readonly dropped: DroppedRecord | undefined;

  /**
   * A data directory (the journal is its LEDGER_FILE) or another store of the journal.
   * Throws JournalCorruptError (naming file and line) when the journal was damaged.
   */
  constructor(storage: string | JournalStore<Record>, options: LedgerOptions = {}) {
    this.store = typeof storage === 'string' ? new Journal<Record>(path.join(storage, LEDGER_FILE)) : storage;
    for (const r of this.store.replay()) this.apply(r);
    this.dropped = this.store.torn && describeTorn(this.store.torn);
    this.journal = new HeldJournal(this.store, options.retryMs);
  }

  /** Where the journal is written. */
  get file(): string {
    return this.store.location;
  }

  /** Makes the journal ready for writing now, before anything is found: throws, naming the file, when it cannot be written. */
  open(): void {
    try {
      this.store.open?.();
    } catch (err) {
      throw new Error(`cannot write the ledger ${this.file}: ${(err as Error).message}`);
    }
  }

  /** Whether every record is written, or some are held in memory because the store refused them. */
  get health(): JournalHealth {
    return this.journal.health;
  }

  /** Called when writes begin to fail and when they succeed again; returns what stops it. */
  onHealthChange(listener: (health: JournalHealth) => void): () => void {
    return this.journal.onChange(listener);
  }

  /** The one warning about a torn record: what was dropped, and what became of its block. */
  droppedWarning(followed: boolean): string | undefined {
    const d = this.dropped;
    if (!d) return undefined;
    const what = d.type ? `a torn "${escapeText(d.type, 20)}" record` : 'a torn record';
    const block = d.height !== undefined && d.nonce !== undefined ? this.get(d.height, d.nonce) : undefined;
    const about = d.height !== undefined && d.nonce !== undefined ? ` of block ${d.height} (${d.nonce})` : '';
    const after = block?.status === 'pending'
      ? `; the block is pending again${followed ? ' and is resolved from the node' : ', and without --node it cannot be resolved'}`
      : block ? `; the block stays ${block.status}` : about ? '; the block was never recorded' : '';
    return `${d.file}:${d.line}: dropped ${what}${about} (${escapeText(d.text, 80)})${after}`;
  }

  /**
   * A block whose first record was torn is recorded again as pending (header and mix unknown),
   * so the node can still find it by its nonce. Returns it when there was one to restore.
   */
  restoreDroppedBlock(defaults: { expectedCredit: bigint; votesNeeded: number; origin?: BlockOrigin }, at = Date.now()): LedgerBlock | undefined {
    const d = this.dropped;
    if (d?.type !== 'pending' || d.height === undefined || d.nonce === undefined || this.get(d.height, d.nonce)) return undefined;
    // what the torn line still says of its origin wins over the caller's guess
    const origin = { ...defaults.origin, ...d.origin };
    return this.addPending({ height: d.height, nonce: d.nonce, headerHash: ZERO_HASH, mixDigest: ZERO_HASH, ...defaults, origin }, at);
  }

  private apply(r: Record): void {
    if (r.t === 'pending') {
      if (this.blocks.has(key(r.height, r.nonce))) return;
      this.blocks.set(key(r.height, r.nonce), {
        height: r.height, nonce: r.nonce.toLowerCase(), headerHash: r.headerHash, mixDigest: r.mixDigest,
        status: 'pending', votesNeeded: r.votesNeeded ?? LEGACY_VOTES_NEEDED, voters: [], expectedCredit: BigInt(r.expectedCredit), credit: 0n, submittedAt: r.at,
        origin: originOf(r),
      });
      return;
    }
    const block = this.blocks.get(key(r.height, r.nonce));
    if (!block || block.status !== 'pending') return;
    if (r.t === 'vote') {
      if (!block.voters.includes(r.voter)) block.voters.push(r.voter);
    } else if (r.t === 'confirmed') {
      block.status = 'confirmed';
      block.credit = BigInt(r.credit);
      block.settledAt = r.at;
      if (r.chain !== undefined && block.origin.chain === undefined) block.origin = { ...block.origin, chain: r.chain };
    } else {
      block.status = 'orphaned';
      block.reason = r.reason;
      block.settledAt = r.at;
    }
  }

  /** Counted at once; written now, or held and retried when the store refuses it. */
  private record(r: Record): void {
    this.apply(r);
    this.journal.append(r);
  }

  get(height: number, nonce: string): LedgerBlock | undefined {
    return this.blocks.get(key(height, nonce));
  }

  /** A block candidate was submitted: tracked as pending from now on. */
  addPending(b: { height: number; nonce: string; headerHash: string; mixDigest: string; expectedCredit: bigint; votesNeeded: number; origin?: BlockOrigin }, at = Date.now()): LedgerBlock {
    const existing = this.get(b.height, b.nonce);
    if (existing) return existing;
    const { pool, chain, profile } = b.origin ?? {};
    this.record({
      t: 'pending', height: b.height, nonce: b.nonce, headerHash: b.headerHash, mixDigest: b.mixDigest, expectedCredit: b.expectedCredit.toString(), votesNeeded: b.votesNeeded, at,
      ...(pool === undefined ? {} : { pool }), ...(chain === undefined ? {} : { chain }), ...(profile === undefined ? {} : { profile }),
    });
    return this.get(b.height, b.nonce)!;
  }

  /** A vote for a pending block; returns the number of distinct votes, or undefined if not pending. */
  addVote(height: number, nonce: string, voter: string, at = Date.now()): number | undefined {
    const block = this.get(height, nonce);
    if (!block || block.status !== 'pending') return undefined;
    if (!block.voters.includes(voter)) this.record({ t: 'vote', height, nonce, voter, at });
    return block.voters.length;
  }

  /** Confirmed: the PoW part is credited now, and only now. `chain`: the chain a node found it on, for a block recorded without one. */
  confirm(height: number, nonce: string, credit?: bigint, at = Date.now(), chain?: string): LedgerBlock | undefined {
    const block = this.get(height, nonce);
    if (!block || block.status !== 'pending') return undefined;
    const adopt = chain !== undefined && block.origin.chain === undefined;
    this.record({ t: 'confirmed', height, nonce, credit: (credit ?? block.expectedCredit).toString(), at, ...(adopt ? { chain } : {}) });
    return block;
  }

  orphan(height: number, nonce: string, reason: string, at = Date.now()): LedgerBlock | undefined {
    const block = this.get(height, nonce);
    if (!block || block.status !== 'pending') return undefined;
    this.record({ t: 'orphaned', height, nonce, reason, at });
    return block;
  }

  list(): LedgerBlock[] {
    return [...this.blocks.values()].sort((a, b) => a.height - b.height || a.submittedAt - b.submittedAt);
  }

  pending(): LedgerBlock[] {
    return this.list().filter((b) => b.status === 'pending');
  }

  /** Totals of every block: one session's figures, its ledger holding one chain; across chains, read chains() instead. */
  totals(): LedgerTotals {
    return totalsOf(this.list());
  }

  /** The ledger split by chain, never summed across them. */
  chains(): ChainLedger[] {
    return byChain(this.list());
  }

  /** The `sero-miner ledger --json` document: each chain apart, with its own totals. */
  toJSON(): { chains: object[] } {
    return {
      chains: this.chains().map((c) => ({
        id: c.id, chain: c.chain, pools: c.pools, profiles: c.profiles,
        totals: { pending: c.totals.pending, confirmed: c.totals.confirmed, orphaned: c.totals.orphaned, credit: formatSero(c.totals.credit) },
        blocks: c.blocks.map((b) => ({
          height: b.height, nonce: b.nonce, status: b.status, votes: b.voters.length, votesNeeded: b.votesNeeded, credit: formatSero(b.credit),
          pool: b.origin.pool ?? null, profile: b.origin.profile ?? null,
        })),
      })),
    };
  }

  /** One last try for records the store refused, then the store is closed. */
  close(): void {
    this.journal.close();
  }
}

function originOf(r: OriginFields): BlockOrigin {
  return { ...(r.pool === undefined ? {} : { pool: r.pool }), ...(r.chain === undefined ? {} : { chain: r.chain }), ...(r.profile === undefined ? {} : { profile: r.profile }) };
}

/** What can be read of a torn line: it was cut short, so its type, height, nonce and origin may still be there. */
function describeTorn(torn: TornRecord): DroppedRecord {
  const type = /"t":"(pending|vote|confirmed|orphaned)"/.exec(torn.text)?.[1] as Record['t'] | undefined;
  const height = /"height":([0-9]{1,15})[,}]/.exec(torn.text)?.[1];
  const nonce = /"nonce":"(0x[0-9a-fA-F]{16})/.exec(torn.text)?.[1];
  const text = (name: string) => new RegExp(`"${name}":"([^"\\\\]{1,300})"[,}]`).exec(torn.text)?.[1];
  const origin = originOf({ pool: text('pool'), chain: /"chain":"(0x[0-9a-f]{64})"/.exec(torn.text)?.[1], profile: text('profile') });
  return { ...torn, type, height: height === undefined ? undefined : Number(height), nonce: nonce?.toLowerCase(), origin };
}
