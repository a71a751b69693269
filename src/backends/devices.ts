// The devices a rig can mine on, each with an index: every WebGPU adapter Dawn enumerates, in
// its order, then the CPU through WASM. `devices` lists them; `mine --devices` picks by index.
import { cpus } from 'node:os';
import type { AdapterSummary } from './webgpu/gpu-context.js';
import { describeAdapter, listAdapterNames, listAdapters, summarizeAdapterNamed } from './webgpu/index.js';

export type DeviceKind = 'webgpu' | 'wasm';

export interface DeviceEntry {
  readonly index: number;
  readonly kind: DeviceKind;
  /** What people read: the adapter or the CPU model. */
  readonly name: string;
  /** A renderer on the CPU (lavapipe, SwiftShader): it shares the cores the WASM device uses. */
  readonly software: boolean;
  /** Dawn's name of the adapter, which opens it (webgpu only). */
  readonly adapterName?: string;
  /**
   * Why this adapter cannot be opened on its own, when it cannot: Dawn opens adapters by name,
   * so of several adapters with one name only the first is reachable.
   */
  readonly unreachable?: string;
  readonly summary?: AdapterSummary;
}

/** The WASM device's entry; its index comes after every adapter. */
export function wasmDevice(index: number): DeviceEntry {
  return { index, kind: 'wasm', name: `${cpus()[0]?.model.trim() || 'CPU'} (WASM, ${cpus().length} cores)`, software: false };
}

/** Every device, adapters first. An unloadable webgpu package leaves the CPU alone. */
export async function listDevices(): Promise<DeviceEntry[]> {
  let names: string[] = [];
  try {
    names = await listAdapterNames();
  } catch {
    names = [];
  }
  const devices: DeviceEntry[] = [];
  const seen = new Map<string, number>();
  for (const adapterName of names) {
    const index = devices.length;
    const first = seen.get(adapterName);
    if (first !== undefined) {
      devices.push({ ...devices[first]!, index, unreachable: `it has the name of device ${first}, and Dawn opens adapters by name` });
      continue;
    }
    seen.set(adapterName, index);
    const summary = await summarizeAdapterNamed(adapterName).catch(() => undefined);
    devices.push({
      index, kind: 'webgpu', adapterName, summary,
      name: summary ? describeAdapter(summary) : adapterName,
      software: summary?.isFallbackAdapter ?? false,
    });
  }
  if (devices.length === 0) devices.push(...(await defaultAdapterOnly()));
  devices.push(wasmDevice(devices.length));
  return devices;
}

/**
 * When Dawn's listing names nothing (its wording may change between versions) while adapters
 * answer requestAdapter, the one it picks by default is still usable, as device 0.
 */
async function defaultAdapterOnly(): Promise<DeviceEntry[]> {
  const adapters = await listAdapters().catch(() => []);
  return adapters.slice(0, 1).map((summary) => ({ index: 0, kind: 'webgpu', summary, name: describeAdapter(summary), software: summary.isFallbackAdapter }));
}

/** One line per device, e.g. "0  webgpu  mesa llvmpipe (…)  software". */
export function formatDevice(d: DeviceEntry): string {
  const notes = [d.software ? 'software renderer on the CPU' : '', d.unreachable ? `not usable: ${d.unreachable}` : ''].filter(Boolean);
  return `${d.index}  ${d.kind.padEnd(6)}  ${d.name}${notes.length ? `  (${notes.join('; ')})` : ''}`;
}
