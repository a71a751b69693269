// Which sensor belongs to which device. WebGPU names an adapter (vendor, device name) but not
// its PCI address, so GPUs are paired with the sensor sources (NVML's GPUs, sysfs' DRM cards)
// by vendor and name, in PCI bus order: the k-th adapter of a vendor and name is the k-th such
// GPU by bus address, the order the Vulkan loader lists identical cards in. Adapters a name
// cannot place are paired in order only when their vendor's counts agree; otherwise they stay
// unknown rather than show another card's temperature. The CPU device and software adapters
// (lavapipe, SwiftShader), which run on the CPU's cores, read the CPU package.

import type { DeviceEntry } from '../backends/devices.js';

/** A device as the matcher sees it: its entry in the device listing. */
export interface SensorTarget {
  /** Its index in the listing (`sero-miner devices`). */
  readonly index: number;
  readonly kind: 'webgpu' | 'wasm';
  /** A renderer on the CPU. */
  readonly software: boolean;
  /** The adapter's vendor as WebGPU gives it (nvidia, amd, intel, mesa, …). */
  readonly vendor?: string;
  /** The adapter's name: the driver's device name (Dawn's listing), else WebGPU's device string. */
  readonly name?: string;
}

/** The matcher's view of a listed device: Dawn's name of the adapter (the driver's), else WebGPU's device string. */
export function sensorTargetOf(entry: DeviceEntry): SensorTarget {
  return { index: entry.index, kind: entry.kind, software: entry.software, vendor: entry.summary?.vendor, name: entry.adapterName ?? entry.summary?.device ?? entry.name };
}

/** A GPU a sensor source can read. */
export interface SensorGpu {
  readonly source: 'nvml' | 'hwmon';
  readonly vendor: string;
  /** sysfs form, 0000:01:00.0. */
  readonly pciAddress: string;
  /** NVML names each GPU; sysfs does not. */
  readonly name?: string;
}

export type SensorSource = { readonly kind: 'gpu'; readonly gpu: SensorGpu } | { readonly kind: 'cpu' };

export interface SensorMatch {
  /** By the target's listing index; a target missing here has no sensor. */
  readonly sources: ReadonlyMap<number, SensorSource>;
  /** One line per vendor whose adapters could not be placed, saying why. */
  readonly notes: readonly string[];
}

/** WebGPU's normalized identifier form (lower-case words joined by dashes), without the vendor's own word in front. */
export function normalizeGpuName(name: string): string {
  const words = name.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  if (words[0] === 'nvidia' || words[0] === 'amd' || words[0] === 'intel') words.shift();
  return words.join('-');
}

const KNOWN_VENDORS = new Set(['nvidia', 'amd', 'intel']);

/** The target's vendor in the sensor sources' words; from its name when WebGPU's vendor says nothing useful. */
export function targetVendor(target: SensorTarget): string | undefined {
  const given = (target.vendor ?? '').toLowerCase();
  if (KNOWN_VENDORS.has(given)) return given;
  if (given === 'ati') return 'amd';
  const name = (target.name ?? '').toLowerCase();
  if (/nvidia|geforce|quadro|tesla|rtx/.test(name)) return 'nvidia';
  if (/\bamd\b|radeon|radv/.test(name)) return 'amd';
  if (/intel|\barc\b|iris/.test(name)) return 'intel';
  return undefined;
}

export function matchSensors(targets: readonly SensorTarget[], gpus: readonly SensorGpu[]): SensorMatch {
  const sources = new Map<number, SensorSource>();
  const notes: string[] = [];
  for (const t of targets) if (t.kind === 'wasm' || t.software) sources.set(t.index, { kind: 'cpu' });

  const hardware = targets.filter((t) => t.kind === 'webgpu' && !t.software);
  const vendors = new Set(hardware.map(targetVendor).filter((v): v is string => v !== undefined));
  for (const vendor of vendors) {
    const adapters = hardware.filter((t) => targetVendor(t) === vendor);
    const free = gpus.filter((g) => g.vendor === vendor).sort((a, b) => (a.pciAddress < b.pciAddress ? -1 : a.pciAddress > b.pciAddress ? 1 : 0));
    const unplaced: SensorTarget[] = [];
    // by name first: the k-th adapter of a name takes the k-th GPU of that name by bus address
    for (const adapter of adapters) {
      const name = adapter.name === undefined ? '' : normalizeGpuName(adapter.name);
      const at = name === '' ? -1 : free.findIndex((g) => g.name !== undefined && normalizeGpuName(g.name) === name);
      if (at < 0) {
        unplaced.push(adapter);
        continue;
      }
      sources.set(adapter.index, { kind: 'gpu', gpu: free.splice(at, 1)[0]! });
    }
    if (unplaced.length === 0) continue;
    if (unplaced.length === free.length) {
      unplaced.forEach((adapter, i) => sources.set(adapter.index, { kind: 'gpu', gpu: free[i]! }));
    } else {
      notes.push(`${unplaced.length} ${vendor} adapter(s) (device ${unplaced.map((a) => a.index).join(', ')}) and ${free.length} ${vendor} GPU(s) with sensors left to pair: which is which cannot be told, so their sensors stay unknown`);
    }
  }
  return { sources, notes };
}
