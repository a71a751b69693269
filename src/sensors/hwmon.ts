// The kernel's hwmon files (Documentation/hwmon/sysfs-interface): one chip's temperature
// (millidegrees, the labelled input preferred), fan (pwm duty, else rpm against its maximum)
// and power (microwatts, the average preferred). A file that is missing or unreadable is unknown.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SensorReading } from './reading.js';

/** A sysfs file's text, trimmed; undefined when it cannot be read. */
export async function readSysfs(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

async function readNumber(file: string): Promise<number | undefined> {
  const text = await readSysfs(file);
  if (text === undefined || !/^-?[0-9]+$/.test(text)) return undefined;
  return Number(text);
}

/** The hwmon directories under `dir` (hwmon0, hwmon3, …), in name order. */
export async function hwmonDirs(dir: string): Promise<string[]> {
  try {
    const names = (await readdir(dir)).filter((n) => /^hwmon[0-9]+$/.test(n));
    return names.sort((a, b) => Number(a.slice(5)) - Number(b.slice(5))).map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

/**
 * The chip's temperature in °C: the first input whose label matches a preferred one, in the
 * order given, else temp1_input. Several matches of one label (a socket each) give the hottest.
 */
export async function readTemperature(dir: string, preferred: readonly (string | RegExp)[] = []): Promise<number | null> {
  let files: string[] = [];
  try {
    files = await readdir(dir);
  } catch {
    return null;
  }
  const inputs = files.filter((f) => /^temp[0-9]+_input$/.test(f)).sort((a, b) => Number(a.slice(4, -6)) - Number(b.slice(4, -6)));
  const labels = await Promise.all(inputs.map((f) => readSysfs(path.join(dir, f.replace('_input', '_label')))));
  for (const wanted of preferred) {
    const hits = inputs.filter((_, i) => labels[i] !== undefined && (typeof wanted === 'string' ? labels[i] === wanted : wanted.test(labels[i]!)));
    const values = (await Promise.all(hits.map((f) => readNumber(path.join(dir, f))))).filter((v): v is number => v !== undefined);
    if (values.length > 0) return Math.max(...values) / 1000;
  }
  const first = await readNumber(path.join(dir, 'temp1_input'));
  return first === undefined ? null : first / 1000;
}

/** Fan speed in percent: pwm1 against pwm1_max (255 by default), else fan1_input against fan1_max. */
export async function readFanPercent(dir: string): Promise<number | null> {
  const pwm = await readNumber(path.join(dir, 'pwm1'));
  if (pwm !== undefined) {
    const max = (await readNumber(path.join(dir, 'pwm1_max'))) ?? 255;
    if (max > 0) return Math.round((100 * Math.min(pwm, max)) / max);
  }
  const rpm = await readNumber(path.join(dir, 'fan1_input'));
  const maxRpm = await readNumber(path.join(dir, 'fan1_max'));
  if (rpm !== undefined && maxRpm !== undefined && maxRpm > 0) return Math.round((100 * Math.min(rpm, maxRpm)) / maxRpm);
  return null;
}

/** Power draw in watts: power1_average, else power1_input (newer amdgpu), microwatts in the file. */
export async function readPowerWatts(dir: string): Promise<number | null> {
  const microwatts = (await readNumber(path.join(dir, 'power1_average'))) ?? (await readNumber(path.join(dir, 'power1_input')));
  return microwatts === undefined ? null : microwatts / 1e6;
}

/** Everything one chip offers, with the temperature label preferred for the kind of chip. */
export async function readHwmon(dir: string, preferredLabels: readonly (string | RegExp)[] = []): Promise<SensorReading> {
  const [temperature, fan, power] = await Promise.all([readTemperature(dir, preferredLabels), readFanPercent(dir), readPowerWatts(dir)]);
  return { temperature, fan, power };
}
