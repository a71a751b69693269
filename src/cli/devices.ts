// `sero-miner devices`: every device `mine` can use, by index (each WebGPU adapter, then the CPU
// through WASM), with the adapters' limits and features.
import type { Command } from 'commander';
import type { AdapterSummary } from '../backends/webgpu/index.js';
import { formatDevice, listDevices, type DeviceEntry } from '../backends/devices.js';

/** Limits that decide whether and how a DAG fits and how the search kernel launches. */
const KEY_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupsPerDimension',
];

function formatAdapter(summary: AdapterSummary): string[] {
  const lines: string[] = [];
  if (summary.architecture) lines.push(`   architecture: ${summary.architecture}`);
  if (summary.subgroupMinSize !== undefined) lines.push(`   subgroup size: ${summary.subgroupMinSize}..${summary.subgroupMaxSize}`);
  for (const name of KEY_LIMITS) {
    const value = summary.limits[name];
    if (value !== undefined) lines.push(`   ${name}: ${value}`);
  }
  lines.push(`   features: ${summary.features.join(', ') || 'none'}`);
  return lines;
}

function formatEntry(entry: DeviceEntry): string {
  return [formatDevice(entry), ...(entry.summary ? formatAdapter(entry.summary) : [])].join('\n');
}

export function register(program: Command): void {
  program
    .command('devices')
    .description('list the devices to mine on, by index: WebGPU adapters (limits, features), then the CPU (WASM)')
    .option('--json', 'print JSON: an array of devices')
    .action((opts: { json?: boolean }) => printDevices(opts));
}

/** The listing on stdout (also `mine --list-devices`, serominer's way to ask). */
export async function printDevices(opts: { json?: boolean }): Promise<void> {
  const devices = await listDevices();
  if (opts.json) {
    console.log(JSON.stringify(devices));
    return;
  }
  if (!devices.some((d) => d.kind === 'webgpu')) console.log('no WebGPU adapter found (Dawn needs a Vulkan driver, e.g. Mesa >= 24 lavapipe); the CPU mines through WASM');
  console.log(devices.map(formatEntry).join('\n'));
}
