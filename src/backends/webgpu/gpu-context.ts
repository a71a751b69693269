/// <reference types="@webgpu/types" />
// Opening a WebGPU adapter and device (from gpu-provider.ts: Dawn in Node, navigator.gpu in a
// browser), asking for the limits the adapter offers rather than the small defaults (platform.md pitfall 4).
import { WebgpuUnavailableError } from './errors.js';
import { unrefTimer } from '../../util/timers.js';
import { loadWebgpu, NO_ADAPTER_HINT } from './gpu-provider.js';

/** What `devices` prints and what the backend reports as its device. */
export interface AdapterSummary {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
  readonly subgroupMinSize?: number;
  readonly subgroupMaxSize?: number;
  readonly features: string[];
  readonly limits: Record<string, number>;
}

export interface GpuOpenOptions {
  readonly powerPreference?: GPUPowerPreference;
  /** Request the `subgroups` feature when the adapter has it (default true). */
  readonly subgroups?: boolean;
  /**
   * Cap on the bytes one storage binding may cover. Real adapters need none; tests set a
   * small one so that DAG splitting over several buffers is exercised on any adapter.
   */
  readonly maxBindingBytes?: number;
  /**
   * Open the adapter of this name (as `listAdapterNames` gives it) instead of the one
   * requestAdapter prefers: how one device of a rig with several adapters is chosen.
   */
  readonly adapterName?: string;
  /** Cap on a texture's width and height, so tests spread a DAG texture over several layers. */
  readonly maxTextureDimension?: number;
  /**
   * How long a wait on the GPU may go unanswered before the device is taken for hung (wait.ts:
   * this or GPU_STALL_FACTOR times the expected time, whichever is longer). Tests set a short one.
   */
  readonly stallFloorMs?: number;
}

export interface GpuContext {
  readonly adapter: GPUAdapter;
  readonly device: GPUDevice;
  readonly summary: AdapterSummary;
  /** Whether kernels may `enable subgroups;`. */
  readonly subgroups: boolean;
  /** Bytes one storage binding may cover: the device limit, or the forced cap when smaller. */
  readonly maxBindingBytes: number;
  readonly maxBufferBytes: number;
  /** Texels a DAG texture may have per row and rows per layer: the device limit, or the forced cap when smaller. */
  readonly maxTextureDimension: number;
  /** Set once the device is lost for any reason other than close(), or taken for hung. */
  lostReason(): string | undefined;
  /** The least time a wait on the GPU is given before the device is taken for hung. */
  readonly stallFloorMs: number;
  /**
   * The device stopped answering: every later use fails with `reason`, and close() leaves it
   * alone, since destroying a device first waits for its work, which would hang the process.
   */
  markHung(reason: string): void;
  /** Validation and internal errors the device reported outside an error scope. */
  takeUncapturedErrors(): string[];
  close(): void;
}

/**
 * GPU objects from create(). Dawn crashes when the GPU object is collected while one of its
 * devices is still in use (platform.md pitfall 1), so every open context pins its own here.
 */
const pinnedGpus = new Set<GPU>();

/** The requestAdapter() variants tried when listing; duplicates are removed by description. */
const ADAPTER_QUERIES: GPURequestAdapterOptions[] = [
  { powerPreference: 'high-performance' },
  { powerPreference: 'low-power' },
  { forceFallbackAdapter: true },
];

export function summarizeAdapter(adapter: GPUAdapter): AdapterSummary {
  const info = adapter.info;
  const limits: Record<string, number> = {};
  // Limits are accessors on the prototype, so for..in (not Object.keys) sees them.
  for (const key in adapter.limits) {
    const value = (adapter.limits as unknown as Record<string, unknown>)[key];
    if (typeof value === 'number') limits[key] = value;
  }
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: Boolean((info as { isFallbackAdapter?: boolean }).isFallbackAdapter),
    subgroupMinSize: (info as { subgroupMinSize?: number }).subgroupMinSize,
    subgroupMaxSize: (info as { subgroupMaxSize?: number }).subgroupMaxSize,
    features: [...adapter.features].map(String).sort(),
    limits,
  };
}

/** One line naming an adapter, e.g. "mesa llvmpipe (LLVM 15.0.6, 256 bits)". */
export function describeAdapter(summary: AdapterSummary): string {
  // browsers leave description and device empty unless asked otherwise: the architecture still names it
  const name = summary.description || summary.device || summary.architecture || 'unknown adapter';
  return summary.vendor && !name.toLowerCase().startsWith(summary.vendor.toLowerCase()) ? `${summary.vendor} ${name}` : name;
}

/** A renderer on the CPU (lavapipe, SwiftShader): its workgroups run on the host's threads. */
export function isSoftwareAdapter(summary: AdapterSummary): boolean {
  return summary.architecture === 'software' || summary.isFallbackAdapter;
}

/** Every distinct adapter the platform offers. */
export async function listAdapters(): Promise<AdapterSummary[]> {
  const { create } = await loadWebgpu();
  const gpu = create([]);
  // Stays pinned: the adapters it returned may outlive this call.
  pinnedGpus.add(gpu);
  const seen = new Map<string, AdapterSummary>();
  for (const query of ADAPTER_QUERIES) {
    const adapter = await gpu.requestAdapter(query);
    if (!adapter) continue;
    const summary = summarizeAdapter(adapter);
    const key = `${summary.vendor}|${summary.architecture}|${summary.device}|${summary.description}`;
    if (!seen.has(key)) seen.set(key, summary);
  }
  return [...seen.values()];
}

/**
 * The name of every adapter Dawn enumerates, in its order, duplicates included. Dawn's node
 * binding has no enumeration call; asking for an adapter name that matches none is its
 * documented way to list them: the rejection names every adapter.
 */
export async function listAdapterNames(): Promise<string[]> {
  const { create } = await loadWebgpu();
  const gpu = create(['adapter=\u0001no adapter has this name']);
  pinnedGpus.add(gpu);
  try {
    // resolves (with nothing) only when there is no adapter at all
    await gpu.requestAdapter();
    return [];
  } catch (error) {
    const names: string[] = [];
    for (const line of String((error as Error).message).split('\n')) {
      const match = /^\s*\* backend: '[^']*', name: '(.*)'\s*$/.exec(line);
      if (match) names.push(match[1]!);
    }
    return names;
  } finally {
    unrefTimer(setTimeout(() => pinnedGpus.delete(gpu), 1000));
  }
}

/** What the adapter of this name (from `listAdapterNames`) offers, without opening a device. */
export async function summarizeAdapterNamed(name: string): Promise<AdapterSummary> {
  const { create } = await loadWebgpu();
  const gpu = create([`adapter=${name}`]);
  pinnedGpus.add(gpu);
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) throw new WebgpuUnavailableError(`no WebGPU adapter named ${JSON.stringify(name)}`);
  return summarizeAdapter(adapter);
}

/** Whether any adapter is there (false too when the webgpu package cannot load). */
export async function hasWebgpuAdapter(): Promise<boolean> {
  try {
    return (await listAdapters()).length > 0;
  } catch {
    return false;
  }
}

/** Limits worth raising to the adapter's maximum for the DAG (buffers or texture) and the search kernel. */
const RAISED_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupsPerDimension',
  'maxTextureDimension2D',
  'maxTextureArrayLayers',
] as const;

export async function openGpu(options: GpuOpenOptions = {}): Promise<GpuContext> {
  const { create } = await loadWebgpu();
  const gpu = create(options.adapterName !== undefined ? [`adapter=${options.adapterName}`] : []);
  pinnedGpus.add(gpu);
  try {
    const adapter = await gpu.requestAdapter(options.powerPreference ? { powerPreference: options.powerPreference } : undefined).catch((error: Error) => {
      // Dawn rejects a name that matches no adapter, listing those there are
      throw new WebgpuUnavailableError(`no WebGPU adapter named ${JSON.stringify(options.adapterName)}: ${error.message.replace(/\n/g, ' ')}`);
    });
    if (!adapter) throw new WebgpuUnavailableError(NO_ADAPTER_HINT);
    const summary = summarizeAdapter(adapter);
    const requiredLimits: Record<string, number> = {};
    for (const name of RAISED_LIMITS) {
      const value = summary.limits[name];
      if (value !== undefined) requiredLimits[name] = value;
    }
    const subgroups = options.subgroups !== false && adapter.features.has('subgroups');
    let device: GPUDevice;
    try {
      device = await adapter.requestDevice({
        requiredLimits,
        requiredFeatures: subgroups ? ['subgroups' as GPUFeatureName] : [],
      });
    } catch (error) {
      throw new WebgpuUnavailableError(`WebGPU adapter ${describeAdapter(summary)} refused a device: ${(error as Error).message}`);
    }
    return wrapDevice(gpu, adapter, device, summary, subgroups, options);
  } catch (error) {
    pinnedGpus.delete(gpu);
    throw error;
  }
}

/** A GPU that has not answered a wait for two minutes is hung: no dispatch the miner makes runs that long. */
const GPU_STALL_FLOOR_MS = 120_000;
/**
 * lavapipe compiles a kernel at its first dispatch, which with an empty shader cache takes
 * minutes on a 2-core machine (the search kernel over DAG buffers: 100 s at 8 lanes, more at 16).
 */
const SOFTWARE_STALL_FLOOR_MS = 20 * 60_000;

function wrapDevice(gpu: GPU, adapter: GPUAdapter, device: GPUDevice, summary: AdapterSummary, subgroups: boolean, options: GpuOpenOptions): GpuContext {
  let closed = false;
  let hung = false;
  let lost: string | undefined;
  const uncaptured: string[] = [];
  void device.lost.then((info) => {
    if (!closed) lost = `WebGPU device lost (${info.reason}): ${info.message || 'no details'}`;
  });
  device.addEventListener('uncapturederror', (event) => {
    const error = (event as GPUUncapturedErrorEvent).error;
    if (uncaptured.length < 16) uncaptured.push(error.message);
  });
  const bindingLimit = device.limits.maxStorageBufferBindingSize;
  return {
    adapter,
    device,
    summary,
    subgroups,
    maxBindingBytes: options.maxBindingBytes ? Math.min(options.maxBindingBytes, bindingLimit) : bindingLimit,
    maxBufferBytes: device.limits.maxBufferSize,
    maxTextureDimension: Math.min(options.maxTextureDimension ?? Infinity, device.limits.maxTextureDimension2D),
    lostReason: () => lost,
    stallFloorMs: options.stallFloorMs ?? (isSoftwareAdapter(summary) ? SOFTWARE_STALL_FLOOR_MS : GPU_STALL_FLOOR_MS),
    markHung(reason) {
      hung = true;
      lost ??= reason;
    },
    takeUncapturedErrors: () => uncaptured.splice(0),
    close() {
      if (closed) return;
      closed = true;
      // A hung device and its GPU object stay as they are (pinned) for the life of the process.
      if (hung) return;
      device.destroy();
      // Let Dawn finish tearing the device down before the GPU object may be collected.
      unrefTimer(setTimeout(() => pinnedGpus.delete(gpu), 1000));
    },
  };
}
