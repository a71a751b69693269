// The CPU package's temperature from hwmon, for the WASM device and software adapters (both run
// on the CPU's cores): AMD's k10temp (Tdie, else Tctl, which some parts offset) or zenpower,
// Intel's coretemp (the hottest "Package id N"). Fan and power of a CPU are not read.
import path from 'node:path';
import { readdir } from 'node:fs/promises';
import { readSysfs, readTemperature } from './hwmon.js';

/** hwmon chip names and the labels of their package temperature, most telling first. */
const CPU_CHIPS: ReadonlyMap<string, readonly (string | RegExp)[]> = new Map([
  ['k10temp', ['Tdie', 'Tctl']],
  ['zenpower', ['Tdie', 'Tctl']],
  ['coretemp', [/^Package id [0-9]+$/]],
]);

/** The hwmon directory of the CPU's temperature chip and its preferred labels, if there is one. */
export async function findCpuChip(sysfsRoot: string): Promise<{ dir: string; labels: readonly (string | RegExp)[] } | undefined> {
  const classDir = path.join(sysfsRoot, 'class', 'hwmon');
  let names: string[];
  try {
    names = (await readdir(classDir)).filter((n) => /^hwmon[0-9]+$/.test(n)).sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  } catch {
    return undefined;
  }
  for (const name of names) {
    const dir = path.join(classDir, name);
    const chip = await readSysfs(path.join(dir, 'name'));
    const labels = chip === undefined ? undefined : CPU_CHIPS.get(chip);
    if (labels) return { dir, labels };
  }
  return undefined;
}

/** The package temperature in °C, or null when the chip is missing or unreadable. */
export async function readCpuTemperature(chip: { dir: string; labels: readonly (string | RegExp)[] } | undefined): Promise<number | null> {
  return chip === undefined ? null : readTemperature(chip.dir, chip.labels);
}
