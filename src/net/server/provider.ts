// The seam between the wire servers (stratum pool, node RPC) and whatever produces work and
// judges shares: the embedded devnet, a proxy to a real node, or a test double.
import type { WorkPackage } from '../wire/work.js';

export interface SubmittedShare {
  readonly nonce: bigint;
  readonly headerHash: Uint8Array;
  readonly mixDigest: Uint8Array;
  /** The package the header belongs to, so the provider knows height and target. */
  readonly work: WorkPackage;
}

/** Later news about a share that was also a block, pushed back to its submitter. */
export type BlockEvent =
  | {
      /** The share is a block candidate; votes and an outcome follow. */
      readonly type: 'candidate';
      readonly votesNeeded: number;
      readonly windowMs: number;
      /** PoW part of the reward (ta), credited once confirmed. */
      readonly reward: bigint;
    }
  | {
      readonly type: 'vote';
      readonly shareId: Uint8Array;
      readonly isPool: boolean;
      /** Votes gathered so far, this one included. */
      readonly votes: number;
    }
  | {
      readonly type: 'outcome';
      readonly status: 'confirmed' | 'orphaned';
      readonly votes: number;
      readonly blockHash?: Uint8Array;
      readonly reason?: string;
    };

export interface SubmitContext {
  readonly via: 'stratum' | 'rpc';
  readonly login: string;
  readonly worker: string;
  readonly remoteAddress: string;
  /**
   * Delivers block events to the session that submitted the share. Safe to call at any time:
   * events for sessions that are gone, or that did not opt in, are dropped.
   */
  notify(event: BlockEvent): void;
}

export type SubmitOutcome =
  /** Valid share; `block` when it also met the block target. */
  | { readonly kind: 'accepted'; readonly block?: boolean }
  /** Header unknown or too old. */
  | { readonly kind: 'stale' }
  /** PoW wrong or above the share target. */
  | { readonly kind: 'invalid'; readonly reason?: string }
  | { readonly kind: 'duplicate' };

export interface HashrateReport {
  /** Hashes per second as the miner reported it. */
  readonly rate: bigint;
  /** The miner's random 32-byte id, `0x` hex. */
  readonly id: string;
  readonly login: string;
  readonly worker: string;
  readonly via: 'stratum' | 'rpc';
}

export type Unsubscribe = () => void;

export interface WorkProvider {
  /** The newest package, or undefined while there is none ("Work not ready"). */
  currentWork(): WorkPackage | undefined;
  /** Called for every new package (new block or rebuilt template), newest last. */
  onWork(listener: (work: WorkPackage) => void): Unsubscribe;
  /**
   * Judges a share. Formats, the job backlog and duplicates were already checked by the
   * server; the provider verifies PoW and decides whether it is a block.
   */
  submit(share: SubmittedShare, context: SubmitContext): Promise<SubmitOutcome>;
  submitHashrate?(report: HashrateReport): void;
  /** The stratum server's logged-in sessions are now `count` (someone is mining while it is above 0). */
  sessionsChanged?(count: number): void;
  /** A miner asked for work over getwork (sero_getWork). */
  workPolled?(): void;
}

/** Ready-made `currentWork`/`onWork` half of a provider: publish() fans a package out. */
export class WorkFeed {
  private current: WorkPackage | undefined;
  private readonly listeners = new Set<(work: WorkPackage) => void>();

  currentWork(): WorkPackage | undefined {
    return this.current;
  }

  onWork(listener: (work: WorkPackage) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(work: WorkPackage): void {
    this.current = work;
    for (const listener of [...this.listeners]) listener(work);
  }
}
