// What the API's control methods do to a running rig: pause a device, restart the devices,
// new nonce segments, verbosity, and the pool list (add, remove, switch).
import type { MiningSession } from '../miner/session.js';
import { describePoolUri, parsePoolUri } from '../net/wire/uri.js';
import type { Logger } from '../util/log.js';

export interface RigControl {
  /** miner_pausegpu; throws RangeError for an unknown device. */
  pauseDevice(index: number, pause: boolean): void;
  /** miner_restart: every device closes, reopens and rebuilds its DAG; the pool stays connected. */
  restart(): void;
  /** miner_shuffle: a new random nonce start for the whole rig. */
  shuffle(): void;
  /** miner_setverbosity: 0 normal, anything else adds debug lines. */
  setVerbosity(level: number): void;
  addConnection(uri: string): void;
  removeConnection(index: number): void;
  /** By index, or the first pool whose URI (password hidden) matches the pattern. */
  setActiveConnection(target: number | RegExp): void;
}

export function sessionControl(session: MiningSession, options: { log: Logger; setVerbosity(level: number): void }): RigControl {
  const { rig, pools } = session;
  return {
    pauseDevice(index, pause) {
      const device = rig.devices[index];
      if (!device) throw new RangeError('Index out of bounds');
      device.setPaused(pause);
      options.log('info', `device ${index} ${pause ? 'paused' : 'resumed'} through the API`);
    },
    restart() {
      options.log('info', 'restarting every device (API request)');
      for (const device of rig.devices) {
        device.restart('API request').catch((err: Error) => options.log('error', `device ${device.index} failed to restart: ${err.message}`));
      }
    },
    shuffle() {
      rig.shuffle();
      options.log('info', 'new nonce scrambler (API request)');
    },
    setVerbosity(level) {
      options.setVerbosity(level);
    },
    addConnection(text) {
      const uri = parsePoolUri(text);
      if (pools.pools.some((p) => p.protocol !== uri.protocol)) throw new Error('Cannot mix stratum and getwork connections');
      pools.addPool(uri);
      options.log('info', `pool ${describePoolUri(uri)} added through the API`);
    },
    removeConnection(index) {
      pools.removePool(index);
      options.log('info', `pool ${index} removed through the API`);
    },
    setActiveConnection(target) {
      const index = typeof target === 'number' ? target : pools.pools.findIndex((p) => target.test(describePoolUri(p)));
      if (index < 0) throw new Error('No connection matches the pattern');
      pools.setActivePool(index);
    },
  };
}
