// Hands out the next height's work, the pool's package (share target) and the node's (block
// boundary), and builds it again whenever a block lands or the clock moves the difficulty.
import { WorkFeed } from '../net/server/provider.js';
import type { Chain } from './chain/canonical-chain.js';
import type { BlockTemplate } from './chain/template.js';
import { hexToBytes } from '../util/hex.js';
import type { WorkBook } from './work-book.js';

export class WorkPublisher {
  /** Jobs for the stratum pool (share target). */
  readonly poolFeed = new WorkFeed();
  /** Work for node RPC getwork (block boundary). */
  readonly nodeFeed = new WorkFeed();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly work: WorkBook,
    private readonly chain: Chain,
    private readonly now: () => number,
    private readonly onTemplate: (template: BlockTemplate) => void,
  ) {}

  /** Rebuilds the template for the next height when the height or the clock's difficulty moved, or a recommit is due. */
  refresh(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const { chain } = this;
    const now = this.now();
    const template = this.work.update(chain.head, hexToBytes(chain.headHash, 32), now);
    if (template !== undefined) {
      this.poolFeed.publish(this.work.poolWork(template));
      this.nodeFeed.publish(this.work.nodeWork(template));
      this.onTemplate(template);
    }
    this.timer = setTimeout(() => this.refresh(), this.work.msUntilRefresh(chain.head, now) + 1);
    this.timer.unref();
  }

  /** No more work: the node closed or can no longer store blocks. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
