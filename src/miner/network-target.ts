// The network (block) target a share must meet to be a block. Against a node over getwork the
// job's boundary is that target; through a pool, the node named by --node supplies it: its
// sero_getWork boundary for the job's header (the pool hands out the node's header as it is),
// fetched once per new header, else the latest one the node gave for the job's height.
import { parseJob, type WorkPackage } from '../net/wire/work.js';
import { targetToDifficulty } from '../pow/target.js';
import type { Logger } from '../util/log.js';
import type { RpcCall } from './node-block-source.js';

export interface BlockTarget {
  readonly target: bigint;
  /** floor(2^256 / target): the block's difficulty (mainnet's PoW reward depends on it). */
  readonly difficulty: bigint;
  /**
   * The block's height as the node gave it for this header. The official pool labels a job with
   * the height of the pending block it read just before sero_getWork, which is one behind when a
   * block lands in between; the header's own height is the node's.
   */
  readonly height?: number;
}

export interface NetworkTarget {
  /** Called for every job, so the target can be fetched before a share needs it. */
  observe(work: WorkPackage): void;
  /** The block target of the share's job, or undefined when it cannot be known. */
  blockTarget(work: WorkPackage): Promise<BlockTarget | undefined>;
  /** The block target if it is at hand already (no waiting for the node). */
  known(work: WorkPackage): BlockTarget | undefined;
}

const blockTargetOf = (target: bigint, height?: number): BlockTarget => ({ target, difficulty: targetToDifficulty(target), height });

/** getwork against a node: the job's boundary is the block target. */
export const jobTarget: NetworkTarget = {
  observe: () => {},
  blockTarget: async (work) => blockTargetOf(work.target),
  known: (work) => blockTargetOf(work.target),
};

/** Headers and heights remembered (a few recommits of the last few heights). */
const KEPT = 64;

/** A pool's jobs, judged with the node's work for the same header (or height). */
export class NodeWorkTarget implements NetworkTarget {
  private readonly byHeader = new Map<string, BlockTarget>();
  private readonly byHeight = new Map<number, BlockTarget>();
  private fetching: Promise<boolean> | undefined;
  /** Headers the node's work did not have when asked: a share of theirs does not ask again. */
  private readonly unknownHeaders = new Set<string>();
  private warned = false;

  constructor(private readonly rpc: RpcCall, private readonly log: Logger) {}

  observe(work: WorkPackage): void {
    if (!this.byHeader.has(work.jobId.toLowerCase())) void this.refresh();
  }

  async blockTarget(work: WorkPackage): Promise<BlockTarget | undefined> {
    const header = work.jobId.toLowerCase();
    if (!this.byHeader.has(header) && !this.unknownHeaders.has(header)) {
      // asked once per header (the next job asks again); a failed call lets the next share retry
      if ((await this.refresh()) && !this.byHeader.has(header)) {
        this.unknownHeaders.add(header);
        if (this.unknownHeaders.size > KEPT) this.unknownHeaders.delete(this.unknownHeaders.values().next().value!);
      }
    }
    const found = this.known(work);
    if (found === undefined && !this.warned) {
      this.warned = true;
      this.log('warn', `the node has no work for height ${work.height} (the pool's): shares cannot be judged as blocks until it has`);
    }
    return found;
  }

  known(work: WorkPackage): BlockTarget | undefined {
    const byHeight = this.byHeight.get(work.height);
    return this.byHeader.get(work.jobId.toLowerCase()) ?? (byHeight && { ...byHeight, height: undefined });
  }

  /** One sero_getWork at a time; false when it failed (logged). */
  private refresh(): Promise<boolean> {
    this.fetching ??= this.fetch().finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  private async fetch(): Promise<boolean> {
    try {
      const reply = await this.rpc('sero_getWork', []);
      const parsed = parseJob(Array.isArray(reply) ? reply : []);
      if (!parsed.ok) throw new Error(`sero_getWork: ${parsed.reason}`);
      const target = blockTargetOf(parsed.work.target, parsed.work.height);
      remember(this.byHeader, parsed.work.jobId.toLowerCase(), target);
      remember(this.byHeight, parsed.work.height, target);
      this.warned = false;
      return true;
    } catch (err) {
      this.log('warn', `node: ${(err as Error).message}`);
      return false;
    }
  }
}

function remember<K>(map: Map<K, BlockTarget>, key: K, value: BlockTarget): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > KEPT) map.delete(map.keys().next().value!);
}
