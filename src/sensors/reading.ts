// What a sensor says about one device: temperature (°C), fan (%) and power (W), each null when
// it cannot be read; and --HWMON's levels, which decide what is read at all. Browser-safe: the
// dashboard imports it.

export interface SensorReading {
  readonly temperature: number | null;
  readonly fan: number | null;
  readonly power: number | null;
}

export const UNKNOWN_READING: SensorReading = Object.freeze({ temperature: null, fan: null, power: null });

/** ethminer's --HWMON: 0 nothing, 1 temperature and fan, 2 those and power. */
export type HwmonLevel = 0 | 1 | 2;

export const HWMON_LEVELS: readonly HwmonLevel[] = [0, 1, 2];

/** Drops what the level does not read. */
export function limitToLevel(reading: SensorReading, level: HwmonLevel): SensorReading {
  if (level === 0) return UNKNOWN_READING;
  if (level === 1) return { temperature: reading.temperature, fan: reading.fan, power: null };
  return reading;
}

/** A number read from a sensor, or null when it is not a finite number. */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** "63°C 45% 120W", with n/a for what is unknown (the status line and the dashboard). Browser-safe. */
export function formatReading(reading: SensorReading, separator = ' '): string {
  const show = (value: number | null, unit: string) => (value === null ? 'n/a' : `${Math.round(value)}${unit}`);
  return [show(reading.temperature, '°C'), show(reading.fan, '%'), show(reading.power, 'W')].join(separator);
}
