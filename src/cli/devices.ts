// `sero-miner devices`: the WebGPU adapters this machine offers, with their limits and features.
import type { Command } from 'commander';
import { describeAdapter, listAdapters, type AdapterSummary } from '../backends/webgpu/index.js';

/** Limits that decide whether and how a DAG fits and how the search kernel launches. */
const KEY_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupsPerDimension',
];

function formatAdapter(summary: AdapterSummary, index: number): string {
  const kind = [summary.architecture, summary.isFallbackAdapter ? 'fallback adapter' : ''].filter(Boolean).join(', ');
  const lines = [`${index}: ${describeAdapter(summary)}${kind ? ` (${kind})` : ''}`];
  if (summary.subgroupMinSize !== undefined) lines.push(`   subgroup size: ${summary.subgroupMinSize}..${summary.subgroupMaxSize}`);
  for (const name of KEY_LIMITS) {
    const value = summary.limits[name];
    if (value !== undefined) lines.push(`   ${name}: ${value}`);
  }
  lines.push(`   features: ${summary.features.join(', ') || 'none'}`);
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('devices')
    .description('list WebGPU adapters with their limits and features')
    .option('--json', 'print JSON (an array, empty when there is no adapter)')
    .action(async (opts: { json?: boolean }) => {
      const adapters = await listAdapters();
      if (opts.json) {
        console.log(JSON.stringify(adapters));
      } else if (adapters.length === 0) {
        console.log('no WebGPU adapter found (Dawn needs a Vulkan driver, e.g. Mesa >= 24 lavapipe); searches use WASM');
      } else {
        console.log(adapters.map(formatAdapter).join('\n'));
      }
    });
}
