// The vote-aware reward ledger: every block candidate the miner submitted, its votes, and its
// outcome. The PoW reward is credited only when a block is confirmed; orphans credit nothing.
// State is rebuilt from the journal under the data directory, so restarts and crashes lose nothing.
import path from 'node:path';
import { Journal, type JournalStore, type TornRecord } from './journal.js';
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
}

type Record =
  | { t: 'pending'; height: number; nonce: string; headerHash: string; mixDigest: string; expectedCredit: string; votesNeeded?: number; at: number }
  | { t: 'vote'; nonce: string; height: number; voter: string; at: number }
  | { t: 'confirmed'; nonce: string; height: number; credit: string; at: number }
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
}

export class Ledger {
  private readonly blocks = new Map<string, LedgerBlock>();
  private readonly journal: JournalStore<Record>;
  /** The final record, torn by a crash and dropped on replay. */
  readonly dropped: DroppedRecord | undefined;

  /**
   * A data directory (the journal is its ledger.jsonl) or another store of the journal.
   * Throws JournalCorruptError (naming file and line) when the journal was damaged.
   */
  constructor(storage: string | JournalStore<Record>) {
    this.journal = typeof storage === 'string' ? new Journal<Record>(path.join(storage, 'ledger.jsonl')) : storage;
    for (const r of this.journal.replay()) this.apply(r);
    this.dropped = this.journal.torn && describeTorn(this.journal.torn);
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
  restoreDroppedBlock(defaults: { expectedCredit: bigint; votesNeeded: number }, at = Date.now()): LedgerBlock | undefined {
    const d = this.dropped;
    if (d?.type !== 'pending' || d.height === undefined || d.nonce === undefined || this.get(d.height, d.nonce)) return undefined;
    return this.addPending({ height: d.height, nonce: d.nonce, headerHash: ZERO_HASH, mixDigest: ZERO_HASH, ...defaults }, at);
  }

  private apply(r: Record): void {
    if (r.t === 'pending') {
      if (this.blocks.has(key(r.height, r.nonce))) return;
      this.blocks.set(key(r.height, r.nonce), {
        height: r.height, nonce: r.nonce.toLowerCase(), headerHash: r.headerHash, mixDigest: r.mixDigest,
        status: 'pending', votesNeeded: r.votesNeeded ?? LEGACY_VOTES_NEEDED, voters: [], expectedCredit: BigInt(r.expectedCredit), credit: 0n, submittedAt: r.at,
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
    } else {
      block.status = 'orphaned';
      block.reason = r.reason;
      block.settledAt = r.at;
    }
  }

  private record(r: Record): void {
    this.journal.append(r);
    this.apply(r);
  }

  get(height: number, nonce: string): LedgerBlock | undefined {
    return this.blocks.get(key(height, nonce));
  }

  /** A block candidate was submitted: tracked as pending from now on. */
  addPending(b: { height: number; nonce: string; headerHash: string; mixDigest: string; expectedCredit: bigint; votesNeeded: number }, at = Date.now()): LedgerBlock {
    const existing = this.get(b.height, b.nonce);
    if (existing) return existing;
    this.record({ t: 'pending', height: b.height, nonce: b.nonce, headerHash: b.headerHash, mixDigest: b.mixDigest, expectedCredit: b.expectedCredit.toString(), votesNeeded: b.votesNeeded, at });
    return this.get(b.height, b.nonce)!;
  }

  /** A vote for a pending block; returns the number of distinct votes, or undefined if not pending. */
  addVote(height: number, nonce: string, voter: string, at = Date.now()): number | undefined {
    const block = this.get(height, nonce);
    if (!block || block.status !== 'pending') return undefined;
    if (!block.voters.includes(voter)) this.record({ t: 'vote', height, nonce, voter, at });
    return block.voters.length;
  }

  /** Confirmed: the PoW part is credited now, and only now. */
  confirm(height: number, nonce: string, credit?: bigint, at = Date.now()): LedgerBlock | undefined {
    const block = this.get(height, nonce);
    if (!block || block.status !== 'pending') return undefined;
    this.record({ t: 'confirmed', height, nonce, credit: (credit ?? block.expectedCredit).toString(), at });
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

  totals(): { pending: number; confirmed: number; orphaned: number; credit: bigint } {
    const all = this.list();
    return {
      pending: all.filter((b) => b.status === 'pending').length,
      confirmed: all.filter((b) => b.status === 'confirmed').length,
      orphaned: all.filter((b) => b.status === 'orphaned').length,
      credit: all.reduce((sum, b) => sum + b.credit, 0n),
    };
  }

  /** The `sero-miner ledger --json` document. */
  toJSON(): object {
    const totals = this.totals();
    return {
      blocks: this.list().map((b) => ({ height: b.height, nonce: b.nonce, status: b.status, votes: b.voters.length, credit: formatSero(b.credit) })),
      totals: { pending: totals.pending, confirmed: totals.confirmed, orphaned: totals.orphaned, credit: formatSero(totals.credit) },
    };
  }

  close(): void {
    this.journal.close();
  }
}

/** What can be read of a torn line: it was cut short, so its type, height and nonce may still be there. */
function describeTorn(torn: TornRecord): DroppedRecord {
  const type = /"t":"(pending|vote|confirmed|orphaned)"/.exec(torn.text)?.[1] as Record['t'] | undefined;
  const height = /"height":([0-9]{1,15})[,}]/.exec(torn.text)?.[1];
  const nonce = /"nonce":"(0x[0-9a-fA-F]{16})/.exec(torn.text)?.[1];
  return { ...torn, type, height: height === undefined ? undefined : Number(height), nonce: nonce?.toLowerCase() };
}
