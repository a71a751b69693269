// The node as a block source (stratum.md 10.4): for every pending block it reads the block at
// the candidate's height (the height is sealed into the header, so it cannot land elsewhere),
// matches nonce and mix digest, and reports the votes the block carries and its outcome: on
// chain means confirmed (credited with the node's reward for it), another block there with
// enough blocks on top means orphaned. When a node is given, this is what settles blocks: those
// of its own chain (its genesis hash, asked first); a block recorded without a chain it only
// confirms, when it holds that very block, and never orphans.
import { voteKeys, type BlockEventSink } from './block-tracker.js';
import type { Ledger, LedgerBlock } from './reward-ledger.js';
import { formatQuantity, ZERO_HASH } from '../util/hex.js';
import { escapeText, type Logger } from '../util/log.js';
import { isPlainObject } from '../net/wire/json-rpc.js';
import { endpointOf, postJsonRpc } from '../net/wire/json-rpc-http.js';

/** Blocks on top of another block at our height before we call ours lost (reorg margin). */
const DEFAULT_FINALITY_DEPTH = 2;

export interface NodeBlock {
  number: string;
  nonce: string | null;
  mixHash: string | null;
  currentVotes: { Id: string; IsPool: boolean; Sign: string }[] | null;
}

export type RpcCall = (method: string, params: unknown[]) => Promise<unknown>;

/** A JSON-RPC call over HTTP POST, through the wire's client (capped, status checked); the node's error text comes back escaped. */
export function httpRpc(url: string, timeoutMs = 10_000): RpcCall {
  let id = 0;
  return async (method, params) => {
    const reply = await postJsonRpc(endpointOf(url), ++id, method, params, timeoutMs);
    const error = reply.error;
    if (error) throw new Error(`${method}: ${isPlainObject(error) && typeof error.message === 'string' ? escapeText(error.message) : 'node error'}`);
    return reply.result;
  };
}

export interface NodeBlockSourceOptions {
  rpc: RpcCall;
  ledger: Ledger;
  sink: BlockEventSink;
  pollMs?: number;
  finalityDepth?: number;
  log?: Logger;
  /** Ask the node which chain it is on, and follow only that chain's blocks (default: follow every pending block). */
  identify?: boolean;
}

/** How long the first question of which chain the node is on may take before mining starts anyway. */
const IDENTIFY_TIMEOUT_MS = 5000;

const isHexOf = (value: unknown, digits: number): value is string => typeof value === 'string' && new RegExp(`^0x[0-9a-fA-F]{${digits}}$`).test(value);

export class NodeBlockSource {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private chainHash: string | undefined;
  private unidentified = false;

  constructor(private readonly options: NodeBlockSourceOptions) {}

  /** The node's chain: its genesis (block 0) hash, once it said. */
  get chain(): string | undefined {
    return this.chainHash;
  }

  /** Asks the node for its genesis hash (once known, kept); a failure is said once, and the next pass asks again. */
  async identify(timeoutMs = IDENTIFY_TIMEOUT_MS): Promise<string | undefined> {
    if (this.chainHash !== undefined) return this.chainHash;
    let timer: NodeJS.Timeout | undefined;
    try {
      const asked = this.options.rpc('sero_getBlockByNumber', ['0x0', false]);
      const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs); });
      const genesis = (await Promise.race([asked, late])) as { hash?: unknown } | null;
      if (!isHexOf(genesis?.hash, 64)) throw new Error('its block 0 has no hash');
      this.chainHash = genesis.hash.toLowerCase();
      this.options.log?.('info', `node: on the chain whose block 0 is ${this.chainHash}`);
    } catch (err) {
      if (!this.unidentified) this.options.log?.('warn', `node: cannot tell which chain it is on (${(err as Error).message}); blocks found meanwhile are recorded with their pool only`);
      this.unidentified = true;
    } finally {
      clearTimeout(timer);
    }
    return this.chainHash;
  }

  /** Checks every pending block at once (a restart settles what it can before anything else), then every pollMs. */
  start(): Promise<void> {
    this.timer ??= setInterval(() => void this.poll(), this.options.pollMs ?? 5000);
    return this.poll();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass over every pending block; errors are logged and retried next pass. */
  poll(): Promise<void> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<void> {
    try {
      if (this.options.identify && (await this.identify()) === undefined) return;
      const chain = this.chainHash;
      const pending = this.options.ledger.pending().filter((b) => chain === undefined || b.origin.chain === undefined || b.origin.chain === chain);
      if (pending.length === 0) return;
      const head = Number(BigInt((await this.options.rpc('sero_blockNumber', [])) as string));
      for (const block of pending) await this.check(block, head);
    } catch (err) {
      this.options.log?.('warn', `node: ${(err as Error).message}`);
    }
  }

  private async check({ height, nonce, mixDigest, origin }: LedgerBlock, head: number): Promise<void> {
    const { rpc, sink } = this.options;
    if (head < height) return;
    const block = (await rpc('sero_getBlockByNumber', [formatQuantity(height), false])) as NodeBlock | null;
    if (!block || !isHexOf(block.nonce, 16)) return;
    const unknownMix = mixDigest === ZERO_HASH;
    const ours = block.nonce.toLowerCase() === nonce && (unknownMix || (typeof block.mixHash === 'string' && block.mixHash.toLowerCase() === mixDigest));
    const ref = { source: 'node' as const, height, nonce: BigInt(nonce) };
    if (ours) {
      const ids = (Array.isArray(block.currentVotes) ? block.currentVotes : []).map((vote) => vote?.Id).filter((id) => isHexOf(id, 64));
      for (const voter of voteKeys(ids)) sink({ ...ref, kind: 'vote', voter });
      // On chain: it carried the votes its chain's rules required (and a block recorded without a chain is this one's).
      const adopted = origin.chain === undefined ? this.chainHash : undefined;
      sink({ ...ref, kind: 'outcome', status: 'confirmed', credit: await this.rewardAt(height), ...(adopted === undefined ? {} : { chain: adopted }) });
    } else if ((this.chainHash === undefined || origin.chain !== undefined) && head >= height + (this.options.finalityDepth ?? DEFAULT_FINALITY_DEPTH)) {
      sink({ ...ref, kind: 'outcome', status: 'orphaned', reason: `block ${height} on chain is another (nonce ${block.nonce})` });
    }
  }

  /** The PoW reward the node credited for the block at `height` (sero_getBlockRewardByNumber), if it says. */
  private async rewardAt(height: number): Promise<bigint | undefined> {
    try {
      const reward = await this.options.rpc('sero_getBlockRewardByNumber', [formatQuantity(height)]);
      const pow = Array.isArray(reward) ? reward[0] : undefined;
      return typeof pow === 'string' && /^0x[0-9a-fA-F]{1,64}$/.test(pow) && BigInt(pow) > 0n ? BigInt(pow) : undefined;
    } catch {
      return undefined;
    }
  }
}
