// Where a found block counts: its origin (the pool, the chain a node named, the rules) and the
// ledger split by chain, so no chain's credit is ever added to another's. A block counts on its
// chain (the node's genesis hash); where no node said which chain, on its pool's address; records
// written before origins were kept form an unknown chain of their own. Browser-safe.
import type { LedgerBlock } from './reward-ledger.js';

/** Where a block was found. */
export interface BlockOrigin {
  /** The pool's URI as described to the user: no password. */
  readonly pool?: string;
  /** The chain's genesis hash (`0x` + 64 hex), when a node said it. */
  readonly chain?: string;
  /** The chain rules it was found under (`seed`, `mainnet`). */
  readonly profile?: string;
}

/** The group of records that carry neither a chain nor a pool (journals of earlier versions). */
export const UNKNOWN_CHAIN = 'unknown';

/** A pool's address: its URI without the login (one pool mines one chain, whichever account or worker logs in). */
export function poolAddress(pool: string): string {
  return pool.replace(/^([a-z0-9+]+:\/\/)[^@/]*@/i, '$1');
}

/** The name of the chain a block counts on: its genesis hash, else `pool:<address>`; undefined when neither is known. */
export function chainIdOf(origin: BlockOrigin): string | undefined {
  if (origin.chain !== undefined) return origin.chain;
  if (origin.pool !== undefined) return `pool:${poolAddress(origin.pool)}`;
  return undefined;
}

export interface LedgerTotals {
  pending: number;
  confirmed: number;
  orphaned: number;
  /** ta credited for confirmed blocks. */
  credit: bigint;
}

export function totalsOf(blocks: readonly LedgerBlock[]): LedgerTotals {
  const count = (status: LedgerBlock['status']) => blocks.filter((b) => b.status === status).length;
  return { pending: count('pending'), confirmed: count('confirmed'), orphaned: count('orphaned'), credit: blocks.reduce((sum, b) => sum + b.credit, 0n) };
}

/** One chain's part of the ledger. */
export interface ChainLedger {
  /** chainIdOf its blocks (`0x…` genesis, or `pool:<address>`), or UNKNOWN_CHAIN. */
  readonly id: string;
  /** Its genesis hash, when a node said it. */
  readonly chain: string | null;
  /** The pools its blocks were found through, in order of first use. */
  readonly pools: string[];
  readonly profiles: string[];
  readonly blocks: LedgerBlock[];
  readonly totals: LedgerTotals;
}

const KIND_ORDER = (id: string) => (id === UNKNOWN_CHAIN ? 2 : id.startsWith('pool:') ? 1 : 0);

/** The blocks by chain: chains a node named first, then pools, then the unknown chain; each in the order its first block was found. */
export function byChain(blocks: readonly LedgerBlock[]): ChainLedger[] {
  const groups = new Map<string, LedgerBlock[]>();
  for (const block of [...blocks].sort((a, b) => a.submittedAt - b.submittedAt)) {
    const id = chainIdOf(block.origin) ?? UNKNOWN_CHAIN;
    groups.set(id, [...(groups.get(id) ?? []), block]);
  }
  const distinct = (values: (string | undefined)[]) => [...new Set(values.filter((v): v is string => v !== undefined))];
  return [...groups.entries()]
    .sort(([a], [b]) => KIND_ORDER(a) - KIND_ORDER(b))
    .map(([id, found]) => {
      const list = found.sort((a, b) => a.height - b.height || a.submittedAt - b.submittedAt);
      return {
        id,
        chain: list[0]!.origin.chain ?? null,
        pools: distinct(list.map((b) => b.origin.pool)),
        profiles: distinct(list.map((b) => b.origin.profile)),
        blocks: list,
        totals: totalsOf(list),
      };
    });
}

/** How a chain is named to the user. */
export function chainLabel(c: Pick<ChainLedger, 'id' | 'chain' | 'pools' | 'profiles'>): string {
  const rules = c.profiles.length > 0 ? ` · ${c.profiles.join(', ')} rules` : '';
  if (c.id === UNKNOWN_CHAIN) return 'unknown chain (recorded before the ledger kept chains)';
  if (c.chain === null) return `pool ${c.pools.join(', ')} (no node said which chain)${rules}`;
  const pools = c.pools.length === 0 ? '' : ` · ${c.pools.length === 1 ? 'pool' : 'pools'} ${c.pools.join(', ')}`;
  return `chain ${c.chain}${rules}${pools}`;
}
