// --tstop / --tstart, as ethminer: a device whose temperature reaches tstop is paused, and
// resumes once it has cooled to tstart. A device whose temperature is unknown is left as it is.
import type { Logger } from '../util/log.js';
import type { SensorReading } from './reading.js';

export interface ThermalLimits {
  /** °C at which a device pauses. */
  readonly stop: number;
  /** °C at or below which a paused device resumes; below stop. */
  readonly start: number;
}

/** ethminer's --tstart when only --tstop is given. */
export const DEFAULT_TSTART = 40;

export interface ThermalGuardOptions {
  readonly limits: ThermalLimits;
  /** Pauses (true) or resumes (false) one device for heat. */
  setHot(device: number, hot: boolean): void;
  readonly log: Logger;
}

export class ThermalGuard {
  private readonly hot = new Set<number>();

  constructor(private readonly options: ThermalGuardOptions) {
    if (!(options.limits.start < options.limits.stop)) throw new RangeError(`--tstart (${options.limits.start}) must be below --tstop (${options.limits.stop})`);
  }

  /** Whether the device is paused for heat now. */
  isHot(device: number): boolean {
    return this.hot.has(device);
  }

  /** Applies one round of readings (one per device). */
  update(readings: readonly SensorReading[]): void {
    const { stop, start } = this.options.limits;
    readings.forEach((reading, device) => {
      const t = reading.temperature;
      if (t === null) return;
      if (!this.hot.has(device) && t >= stop) {
        this.hot.add(device);
        this.options.log('warn', `device ${device} is at ${Math.round(t)} °C (--tstop ${stop}): paused until it cools to ${start} °C`);
        this.options.setHot(device, true);
      } else if (this.hot.has(device) && t <= start) {
        this.hot.delete(device);
        this.options.log('info', `device ${device} cooled to ${Math.round(t)} °C (--tstart ${start}): resumed`);
        this.options.setHot(device, false);
      }
    });
  }
}
