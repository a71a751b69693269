// The next epoch's DAG built ahead: once a device's job is within `aheadBlocks` of the next
// epoch, a twin of its backend (SearchBackend.openTwin) builds that epoch's DAG while the device
// goes on searching, and the device moves to the twin with the new epoch's first job, which
// then hashes at once. Without a twin (no room for a second DAG, or a backend without one) the
// DAG is built at the epoch change, as before.
import type { SearchBackend } from '../backends/backend.js';
import { dagSpecForBlock, EPOCH_LENGTH, epochOf, type DagMode } from '../pow/epoch.js';
import type { DagStage } from './search-loop.js';

/** One period ahead: 11 minutes of mainnet blocks, for a build of a minute or two on a CPU. */
export const DAG_AHEAD_BLOCKS = 50;

export interface DagAheadOptions {
  /** Blocks before the next epoch at which its twin starts building (0: never). */
  readonly aheadBlocks: number;
  readonly dagMode: DagMode;
  /** Where the twin's build waits its turn beside the rig's other builds. */
  readonly dagStage?: DagStage;
  /** A twin that failed to build; the DAG is then built at the epoch change. */
  readonly onError: (error: Error) => void;
}

/** A twin being built ahead, or built and waiting for its epoch. */
export interface Standby {
  readonly epoch: number;
  /** The twin with the epoch's DAG resident; undefined when none could be built or it was aborted. */
  readonly twin: Promise<SearchBackend | undefined>;
  /**
   * Stops a build under way (its twin is closed and `twin` resolves undefined); a twin already
   * built is left to whoever holds `twin`.
   */
  abort(): Promise<void>;
  /** Whether the build has ended (with a twin or without). */
  ready(): boolean;
}

export class DagAhead {
  private standby: Standby | undefined;

  constructor(private readonly options: DagAheadOptions) {}

  /** The epoch whose DAG is being built or waits ahead, and whether it is built. */
  get state(): { readonly epoch: number; readonly ready: boolean } | undefined {
    const standby = this.standby;
    return standby && { epoch: standby.epoch, ready: standby.ready() };
  }

  /** Starts building the next epoch's DAG on a twin of `backend` when `height` is close enough to it. */
  consider(height: number, backend: SearchBackend): void {
    const { aheadBlocks } = this.options;
    const next = epochOf(height) + 1;
    if (aheadBlocks <= 0 || !backend.openTwin || next * EPOCH_LENGTH - height > aheadBlocks) return;
    if (this.standby?.epoch === next) return;
    void this.discard();
    this.standby = this.build(next, backend);
  }

  /** The standby for `height`'s epoch (its DAG built or still building), handed over; undefined when there is none. */
  claim(height: number): Standby | undefined {
    const standby = this.standby;
    if (!standby || standby.epoch !== epochOf(height)) return undefined;
    this.standby = undefined;
    return standby;
  }

  /** Aborts the standby nobody claimed, and closes its twin. */
  async discard(): Promise<void> {
    const standby = this.standby;
    this.standby = undefined;
    if (!standby) return;
    await standby.abort();
    await (await standby.twin)?.close().catch(() => undefined);
  }

  private build(epoch: number, backend: SearchBackend): Standby {
    const spec = dagSpecForBlock(epoch * EPOCH_LENGTH, this.options.dagMode);
    const stage: DagStage = this.options.dagStage ?? ((build) => build());
    let opened: SearchBackend | undefined;
    let aborted = false;
    let built = false;
    let settled = false;
    const twin = (async () => {
      opened = await backend.openTwin!(spec);
      if (!opened) return undefined;
      if (aborted) {
        await opened.close().catch(() => undefined);
        return undefined;
      }
      try {
        await stage(() => (aborted ? Promise.resolve() : opened!.prepare(spec)));
      } catch (error) {
        await opened.close().catch(() => undefined);
        throw error;
      }
      if (aborted) {
        await opened.close().catch(() => undefined);
        return undefined;
      }
      built = true;
      return opened;
    })().catch((error: Error) => {
      if (!aborted) this.options.onError(new Error(`building the DAG of epoch ${epoch} ahead failed (${error.message}); it is built when the epoch begins`));
      return undefined;
    }).finally(() => (settled = true));
    const abort = async () => {
      aborted = true;
      // Closing it ends a build under way (its prepare() rejects).
      if (!built) await opened?.close().catch(() => undefined);
      await twin;
    };
    return { epoch, twin, abort, ready: () => settled };
  }
}
