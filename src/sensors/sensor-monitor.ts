// Reads every device's sensors on a timer (--HWMON): finds the sources once (nvidia-smi's GPUs,
// sysfs' DRM cards with a hwmon chip, the CPU's temperature chip), pairs them with the devices,
// then polls them, one nvidia-smi run per round for every NVIDIA GPU. What cannot be read is null.
import { EventEmitter } from 'node:events';
import type { Logger } from '../util/log.js';
import { silentLogger } from '../util/log.js';
import { unrefTimer } from '../util/timers.js';
import { matchSensors, type SensorGpu, type SensorSource, type SensorTarget } from './adapter-match.js';
import { findCpuChip, readCpuTemperature } from './cpu-temperature.js';
import { hasHwmon, listDrmCards, readDrmCard, type DrmCard } from './drm-cards.js';
import { queryNvidiaSmi } from './nvidia-smi.js';
import { limitToLevel, UNKNOWN_READING, type HwmonLevel, type SensorReading } from './reading.js';

/** Where sysfs is mounted; SERO_MINER_SYSFS_ROOT points the miner at another tree (a container's, a recorded one). */
export const DEFAULT_SYSFS_ROOT = '/sys';

export interface SensorMonitorOptions {
  /** The session's devices in device order, each as its entry in the listing. */
  readonly devices: readonly SensorTarget[];
  /** Every device the listing has, so adapters left out of the session still take their place in the pairing (default: devices). */
  readonly listing?: readonly SensorTarget[];
  readonly level: HwmonLevel;
  readonly sysfsRoot?: string;
  /** The nvidia-smi executable (default: nvidia-smi on PATH). */
  readonly nvidiaSmi?: string;
  /** Time between rounds (default 5 s). */
  readonly intervalMs?: number;
  readonly log?: Logger;
}

export interface SensorMonitorEvents {
  /** After every round: one reading per session device. */
  readings: [readings: readonly SensorReading[]];
}

interface Sources {
  /** Per session device. */
  readonly perDevice: readonly (SensorSource | undefined)[];
  readonly cards: ReadonlyMap<string, DrmCard>;
  readonly cpuChip: Awaited<ReturnType<typeof findCpuChip>>;
}

export class SensorMonitor extends EventEmitter<SensorMonitorEvents> {
  private current: readonly SensorReading[];
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<readonly SensorReading[]> | undefined;
  private nvidiaFailure: string | undefined;

  private constructor(private readonly options: SensorMonitorOptions, private readonly sources: Sources) {
    super();
    this.current = options.devices.map(() => UNKNOWN_READING);
  }

  /** Finds the sensors and pairs them with the devices; says once which devices have none. */
  static async open(options: SensorMonitorOptions): Promise<SensorMonitor> {
    const log = options.log ?? silentLogger;
    const root = options.sysfsRoot ?? DEFAULT_SYSFS_ROOT;
    const listing = options.listing ?? options.devices;
    const needsGpus = listing.some((t) => t.kind === 'webgpu' && !t.software);
    const gpus: SensorGpu[] = [];
    const cards = new Map<string, DrmCard>();
    if (needsGpus) {
      const nvidia = await queryNvidiaSmi({ command: options.nvidiaSmi });
      if (nvidia.ok) for (const g of nvidia.gpus) gpus.push({ source: 'nvml', vendor: 'nvidia', pciAddress: g.pciAddress, name: g.name });
      else if (!nvidia.missing) log('warn', `sensors: ${nvidia.reason}`);
      for (const card of await listDrmCards(root)) {
        if (card.vendor === undefined || gpus.some((g) => g.pciAddress === card.pciAddress) || !(await hasHwmon(card))) continue;
        cards.set(card.pciAddress, card);
        gpus.push({ source: 'hwmon', vendor: card.vendor, pciAddress: card.pciAddress });
      }
    }
    const match = matchSensors(listing, gpus);
    for (const note of match.notes) log('warn', `sensors: ${note}`);
    const perDevice = options.devices.map((t) => match.sources.get(t.index));
    const cpuChip = perDevice.some((s) => s?.kind === 'cpu') ? await findCpuChip(root) : undefined;
    return new SensorMonitor(options, { perDevice, cards, cpuChip });
  }

  /** The latest reading of each session device. */
  get readings(): readonly SensorReading[] {
    return this.current;
  }

  /** The device's GPU's PCI address (0000:01:00.0), or null for the CPU and unpaired adapters. */
  pciAddress(device: number): string | null {
    const source = this.sources.perDevice[device];
    return source?.kind === 'gpu' ? source.gpu.pciAddress : null;
  }

  start(): void {
    if (this.options.level === 0 || this.timer) return;
    void this.poll();
    this.timer = unrefTimer(setInterval(() => void this.poll(), this.options.intervalMs ?? 5000));
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round; a round still running is shared rather than started twice. */
  poll(): Promise<readonly SensorReading[]> {
    this.polling ??= this.read().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  private async read(): Promise<readonly SensorReading[]> {
    const { perDevice, cards, cpuChip } = this.sources;
    const level = this.options.level;
    const nvml = perDevice.some((s) => s?.kind === 'gpu' && s.gpu.source === 'nvml') ? await this.readNvidia() : new Map<string, SensorReading>();
    const cpu = perDevice.some((s) => s?.kind === 'cpu') ? await readCpuTemperature(cpuChip) : null;
    const readings = await Promise.all(perDevice.map(async (source): Promise<SensorReading> => {
      if (source === undefined) return UNKNOWN_READING;
      if (source.kind === 'cpu') return limitToLevel({ temperature: cpu, fan: null, power: null }, level);
      const { gpu } = source;
      const reading = gpu.source === 'nvml' ? nvml.get(gpu.pciAddress) : await readDrmCard(cards.get(gpu.pciAddress)!);
      return limitToLevel(reading ?? UNKNOWN_READING, level);
    }));
    this.current = readings;
    this.emit('readings', readings);
    return readings;
  }

  /** Every NVIDIA GPU's reading by PCI address; a failure is logged once, until it recovers. */
  private async readNvidia(): Promise<Map<string, SensorReading>> {
    const result = await queryNvidiaSmi({ command: this.options.nvidiaSmi });
    if (!result.ok) {
      if (this.nvidiaFailure !== result.reason) (this.options.log ?? silentLogger)('warn', `sensors: ${result.reason}; NVIDIA readings unknown until it answers`);
      this.nvidiaFailure = result.reason;
      return new Map();
    }
    this.nvidiaFailure = undefined;
    return new Map(result.gpus.map((g) => [g.pciAddress, g.reading]));
  }
}
