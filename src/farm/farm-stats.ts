// The stats farm OSes' agents want, from the miner's /api/status: HiveOS' h-stats.sh ($khs and
// $stats: hs, hs_units, temp, fan, uptime, ar, algo, ver, bus_numbers) and mmpOS' mmp-stats.sh
// (busid with the CPU first, hash, units, air, temp, fan, miner_name, miner_version). Readings
// that are unknown stay null; a device without a PCI bus (the CPU) has none.
import { pciBusNumber } from '../sensors/pci.js';
import type { SensorReading } from '../sensors/reading.js';

/** What the formats read of /api/status (RigStatus). */
export interface FarmStatusInput {
  readonly version: string;
  readonly uptime: number;
  readonly hashrate: number;
  readonly shares: { readonly accepted: number; readonly stale: number; readonly rejected: number; readonly failed: number };
  readonly devices: readonly {
    readonly backend: string;
    readonly hashrate: number;
    /** Absent from a miner older than the sensors. */
    readonly sensors?: SensorReading;
    /** 0000:01:00.0, or null for the CPU and adapters without a sensor. */
    readonly pci?: string | null;
  }[];
}

/** HiveOS' name of the algorithm (its flight sheets list SERO's as progpow). */
const HIVEOS_ALGO = 'progpow';

const versionOf = (status: FarmStatusInput) => status.version.replace(/^sero-miner-/, '');
const busOf = (pci: string | null | undefined) => (pci == null ? null : pciBusNumber(pci));
const rounded = (value: number | null | undefined) => (value == null ? null : Math.round(value));

/** HiveOS: khs is the total in kH/s; hs per device in H/s (hs_units "hs"); ar is [accepted, rejected] as getstat1 counts them. */
export function hiveosStats(status: FarmStatusInput): { khs: string; stats: Record<string, unknown> } {
  const d = status.devices;
  return {
    khs: (status.hashrate / 1000).toFixed(3),
    stats: {
      hs: d.map((x) => Math.round(x.hashrate)),
      hs_units: 'hs',
      temp: d.map((x) => rounded(x.sensors?.temperature)),
      fan: d.map((x) => rounded(x.sensors?.fan)),
      uptime: status.uptime,
      ar: [status.shares.accepted, status.shares.rejected],
      algo: HIVEOS_ALGO,
      ver: versionOf(status),
      bus_numbers: d.map((x) => busOf(x.pci)),
    },
  };
}

/** mmpOS: the CPU's entries first ("cpu" as its busid), then the GPUs; air is [accepted, invalid, rejected]. */
export function mmposStats(status: FarmStatusInput): Record<string, unknown> {
  const ordered = [...status.devices].sort((a, b) => Number(b.backend === 'wasm') - Number(a.backend === 'wasm'));
  return {
    busid: ordered.map((x) => (x.backend === 'wasm' ? 'cpu' : busOf(x.pci))),
    hash: ordered.map((x) => Math.round(x.hashrate)),
    units: 'hs',
    air: [status.shares.accepted, status.shares.failed, status.shares.rejected],
    temp: ordered.map((x) => rounded(x.sensors?.temperature)),
    fan: ordered.map((x) => rounded(x.sensors?.fan)),
    miner_name: 'sero-miner',
    miner_version: versionOf(status),
  };
}
