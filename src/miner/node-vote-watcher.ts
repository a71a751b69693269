// Watches a node for the blocks the miner submitted (stratum.md 10.4): reads the block at the
// candidate's height (the height is sealed into the header, so it cannot land elsewhere),
// matches nonce and mix digest, reads its currentVotes, and reports votes, confirmation, or
// loss to the block tracker.
import { voteKeys, type BlockTracker } from './block-tracker.js';
import type { Ledger } from './reward-ledger.js';
import { formatQuantity, ZERO_HASH } from '../util/hex.js';
import type { Logger } from '../util/log.js';

/** Blocks on top of another block at our height before we call ours lost (reorg margin). */
const DEFAULT_FINALITY_DEPTH = 2;

export interface NodeBlock {
  number: string;
  nonce: string | null;
  mixHash: string | null;
  currentVotes: { Id: string; IsPool: boolean; Sign: string }[] | null;
}

export type RpcCall = (method: string, params: unknown[]) => Promise<unknown>;

/** A JSON-RPC call over HTTP POST. */
export function httpRpc(url: string, timeoutMs = 10_000): RpcCall {
  let id = 0;
  return async (method, params) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await res.json()) as { result?: unknown; error?: { message?: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message ?? 'node error'}`);
    return body.result;
  };
}

export interface NodeVoteWatcherOptions {
  rpc: RpcCall;
  ledger: Ledger;
  tracker: BlockTracker;
  pollMs?: number;
  finalityDepth?: number;
  log?: Logger;
}

export class NodeVoteWatcher {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly options: NodeVoteWatcherOptions) {}

  start(): void {
    this.timer ??= setInterval(() => void this.poll(), this.options.pollMs ?? 5000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass over every pending block; errors are logged and retried next pass. */
  async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const pending = this.options.ledger.pending();
      if (pending.length === 0) return;
      const head = Number(BigInt((await this.options.rpc('sero_blockNumber', [])) as string));
      for (const block of pending) await this.check(block.height, block.nonce, block.mixDigest, head);
    } catch (err) {
      this.options.log?.('warn', `node vote watcher: ${(err as Error).message}`);
    } finally {
      this.busy = false;
    }
  }

  private async check(height: number, nonce: string, mixDigest: string, head: number): Promise<void> {
    const { rpc, tracker } = this.options;
    if (head < height) return;
    const block = (await rpc('sero_getBlockByNumber', [formatQuantity(height), false])) as NodeBlock | null;
    if (!block?.nonce) return;
    const unknownMix = mixDigest === ZERO_HASH;
    const ours = block.nonce.toLowerCase() === nonce.toLowerCase() && (unknownMix || block.mixHash?.toLowerCase() === mixDigest.toLowerCase());
    if (ours) {
      for (const key of voteKeys((block.currentVotes ?? []).map((vote) => vote.Id))) tracker.vote(height, BigInt(nonce), key);
      // a block on chain carried the votes its chain's rules required
      tracker.confirm(height, BigInt(nonce));
    } else if (head >= height + (this.options.finalityDepth ?? DEFAULT_FINALITY_DEPTH)) {
      tracker.orphan(height, BigInt(nonce), `block ${height} on chain is another (nonce ${block.nonce})`);
    }
  }
}
