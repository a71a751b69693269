// Jobs pushed to one logged-in miner, each in its own write. A job that comes while the previous
// push is still being written replaces any queued one: serominer takes only the first job of a
// read, so an old job must never sit in front of a new one.
import type { LineChannel } from '../../wire/line-transport.js';
import { type WorkPackage, workToWire } from '../../wire/work.js';

export class JobPusher {
  private inFlight = false;
  private queued: WorkPackage | undefined;

  /** `onPush` runs as each job goes out (a push counts as activity on the session). */
  constructor(private readonly channel: LineChannel, private readonly onPush: () => void) {}

  push(work: WorkPackage): void {
    if (this.channel.closed) return;
    if (this.inFlight) {
      this.queued = work;
      return;
    }
    this.inFlight = true;
    this.onPush();
    this.channel.send(JSON.stringify({ id: 0, jsonrpc: '2.0', result: workToWire(work) }), () => {
      this.inFlight = false;
      const next = this.queued;
      this.queued = undefined;
      if (next !== undefined) this.push(next);
    });
  }
}
