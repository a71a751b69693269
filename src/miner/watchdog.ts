// The rig's watchdog: a lost device, a device that stops hashing while it has a job, or no new
// job for too long restarts the device (or every device); when restarts in a row do not help,
// it gives up so the process can exit and a supervisor start it afresh.
import type { Logger } from '../util/log.js';
import { unrefTimer } from '../util/timers.js';
import type { RigDevice } from './device.js';
import type { Rig } from './rig.js';

export interface WatchdogOptions {
  readonly rig: Rig;
  /** A mining device without hashes for this long is restarted (0: never). */
  readonly hashTimeoutMs: number;
  /** No new job for this long restarts every device (0: never). */
  readonly workTimeoutMs: number;
  /** Restarts in a row, without a healthy spell between them, before giving up. */
  readonly maxRestarts: number;
  readonly log: Logger;
  /** Called once, with the reason, when restarts do not help. */
  onGiveUp(reason: string): void;
  readonly checkEveryMs?: number;
  readonly now?: () => number;
}

/** "90 s", or "200 ms" under a second. */
const span = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms)} ms`);

interface DeviceWatch {
  failures: number;
  restartedAt: number;
  /** When the device last entered the mining phase (the clock of "no hashes"). */
  miningSince: number | undefined;
}

export class Watchdog {
  private timer: NodeJS.Timeout | undefined;
  private readonly watches: DeviceWatch[];
  private lastWorkAt: number;
  private workFailures = 0;
  private gaveUp = false;
  private readonly now: () => number;

  constructor(private readonly options: WatchdogOptions) {
    this.now = options.now ?? (() => performance.now());
    this.lastWorkAt = this.now();
    this.watches = options.rig.devices.map(() => ({ failures: 0, restartedAt: -Infinity, miningSince: undefined }));
    options.rig.on('work', () => {
      this.lastWorkAt = this.now();
      this.workFailures = 0;
    });
  }

  start(): void {
    this.timer ??= unrefTimer(setInterval(() => this.check(), this.options.checkEveryMs ?? 1000));
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round of checks (the timer calls it; tests may too). */
  check(): void {
    if (this.gaveUp) return;
    const now = this.now();
    const { hashTimeoutMs, workTimeoutMs } = this.options;
    for (const device of this.options.rig.devices) {
      const watch = this.watches[device.index]!;
      const phase = device.phase;
      if (phase === 'restarting') continue;
      if (phase !== 'mining') {
        watch.miningSince = undefined;
      } else {
        watch.miningSince ??= now;
      }
      if (device.failure) {
        this.restart(device, `lost (${device.failure.message})`);
        continue;
      }
      if (phase !== 'mining' || hashTimeoutMs <= 0) continue;
      const lastHashes = Math.max(device.lastHashesAt ?? -Infinity, watch.miningSince!);
      if (now - lastHashes > hashTimeoutMs) {
        this.restart(device, `no hashes for ${span(now - lastHashes)}`);
      } else if (watch.failures > 0 && now - watch.restartedAt > 2 * hashTimeoutMs) {
        watch.failures = 0;
      }
    }
    if (workTimeoutMs > 0 && now - this.lastWorkAt > workTimeoutMs) {
      this.lastWorkAt = now;
      this.workFailures++;
      const reason = `no new work for ${span(workTimeoutMs)}`;
      if (this.workFailures > this.options.maxRestarts) return this.giveUp(`${reason}, ${this.options.maxRestarts} times in a row`);
      this.options.log('warn', `watchdog: ${reason}; restarting every device (${this.workFailures}/${this.options.maxRestarts})`);
      for (const device of this.options.rig.devices) this.launch(device, reason);
    }
  }

  private restart(device: RigDevice, reason: string): void {
    const watch = this.watches[device.index]!;
    watch.failures++;
    if (watch.failures > this.options.maxRestarts) {
      this.giveUp(`device ${device.index} ${reason}, and ${this.options.maxRestarts} restarts did not help`);
      return;
    }
    this.options.log('warn', `watchdog: device ${device.index} ${reason}; restarting it (${watch.failures}/${this.options.maxRestarts})`);
    this.launch(device, reason);
  }

  private launch(device: RigDevice, reason: string): void {
    const watch = this.watches[device.index]!;
    watch.restartedAt = this.now();
    watch.miningSince = undefined;
    device.restart(`watchdog: ${reason}`).catch((err: Error) => this.options.log('error', `watchdog: device ${device.index} did not come back: ${err.message}`));
  }

  private giveUp(reason: string): void {
    if (this.gaveUp) return;
    this.gaveUp = true;
    this.stop();
    this.options.log('error', `watchdog: ${reason}; giving up`);
    this.options.onGiveUp(reason);
  }
}
