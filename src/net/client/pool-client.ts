// What the pool manager needs from a connection to one pool, whatever the dialect.
import type { EventEmitter } from 'node:events';
import type { PoolUri } from '../wire/uri.js';
import type { CandidateNotice, OutcomeNotice, VoteNotice } from '../wire/vote-extension.js';
import type { WorkPackage } from '../wire/work.js';

export interface ShareSubmission {
  /** The package the nonce was found for (its jobId is echoed to the pool). */
  readonly work: WorkPackage;
  readonly nonce: bigint;
  readonly mixDigest: Uint8Array;
  /** The share's final hash as the miner computed it (never sent): whether it is also a block. */
  readonly finalHash?: Uint8Array;
  /** The miner knows it meets the network target: it goes out whatever the submission cap says. */
  readonly block?: boolean;
  /** Index of the device that found it (serominer uses request id 40 + index). */
  readonly device?: number;
}

/**
 * accepted: the pool said true. rejected: false or an error. stale: rejected, and the job
 * had already been replaced when the share went out (SERO-Proxy itself cannot tell).
 * dropped: never answered, because no connection was up or it closed first.
 */
export type ShareStatus = 'accepted' | 'rejected' | 'stale' | 'dropped';

export interface ShareResult {
  readonly status: ShareStatus;
  readonly work: WorkPackage;
  readonly nonce: bigint;
  /** Dropped after it went out (no reply came, or the connection closed first): the pool may have taken it. */
  readonly unanswered?: boolean;
  /** Error text from the pool or the reason it was dropped. */
  readonly message?: string;
  /** Submit-to-reply time; 0 when dropped. */
  readonly latencyMs: number;
  /** Dropped by the submission cap, never sent (logged in a folded summary, not one by one). */
  readonly throttled?: boolean;
}

/** A share as the client remembers it, to match a pool's block notice about it. */
export interface SubmittedShare {
  /** The header it was submitted for, as bare lowercase hex. */
  readonly headerHex: string;
  readonly mixDigest: Uint8Array;
}

/** A pool's block notice matched to the share it is about. */
export type OfSubmittedShare<N> = N & { readonly share: SubmittedShare };

/** The pool answered the login with an error or false: retrying the same login will not help. */
export class LoginRefusedError extends Error {
  constructor(readonly pool: string, readonly login: string, readonly reason: string) {
    super(`${pool} refused the login ${JSON.stringify(login)}: ${reason}`);
    this.name = 'LoginRefusedError';
  }
}

export interface PoolClientEvents {
  /** A new job that passed validation (height present and >= 940410). */
  work: [work: WorkPackage];
  share: [result: ShareResult];
  /** Block notices, each about a share submitted on this connection (and carrying it). */
  candidate: [notice: OfSubmittedShare<CandidateNotice>];
  vote: [notice: OfSubmittedShare<VoteNotice>];
  outcome: [notice: OfSubmittedShare<OutcomeNotice>];
  /** The connection ended after connect() had resolved. Emitted once. */
  disconnected: [reason: string];
}

/** One listener for each event of a client: a complete record, so an event added to PoolClientEvents cannot go unheard. */
export type PoolClientListeners = { [E in keyof PoolClientEvents]: (...args: PoolClientEvents[E]) => void };

/** Listens to every event of `client`; returns what stops listening. */
export function listenTo(client: PoolClient, listeners: PoolClientListeners): () => void {
  const emitter: EventEmitter = client;
  const entries = Object.entries(listeners) as [string, (...args: any[]) => void][];
  for (const [event, listener] of entries) emitter.on(event, listener);
  return () => {
    for (const [event, listener] of entries) emitter.off(event, listener);
  };
}

export interface PoolClient extends EventEmitter<PoolClientEvents> {
  readonly uri: PoolUri;
  /** The newest valid job, if any. */
  readonly work: WorkPackage | undefined;
  /** Whether the pool confirmed the block-vote extension at login (stratum only). */
  readonly voteNoticesEnabled?: boolean;
  /** Connects and logs in; rejects with a readable error when that fails. */
  connect(): Promise<void>;
  /** Resolves with the pool's verdict; never rejects. */
  submit(share: ShareSubmission): Promise<ShareResult>;
  /** Ends the connection; emits `disconnected` if it was up. */
  close(reason?: string): void;
}

export interface HashrateSource {
  /** Current total hashrate in H/s. */
  (): number | bigint;
}
