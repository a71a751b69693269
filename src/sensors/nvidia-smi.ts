// NVIDIA GPUs' sensors through NVML, by way of nvidia-smi (shipped with every NVIDIA driver):
// one query for every GPU, CSV without header or units; "[N/A]" and "[Not Supported]" fields are
// unknown. A machine without the tool or the driver has no NVIDIA GPUs to read.
import { execFile } from 'node:child_process';
import { finiteOrNull, type SensorReading } from './reading.js';
import { normalizePciAddress } from './pci.js';

/** The fields asked for, in the order the parser reads them. */
export const NVIDIA_SMI_ARGS = ['--query-gpu=index,pci.bus_id,name,temperature.gpu,fan.speed,power.draw', '--format=csv,noheader,nounits'];

export interface NvidiaGpu {
  /** NVML's index (PCI bus order). */
  readonly index: number;
  /** sysfs form: 0000:01:00.0. */
  readonly pciAddress: string;
  readonly name: string;
  readonly reading: SensorReading;
}

/** A field's number, or null for nvidia-smi's bracketed words ([N/A], [Not Supported], [Unknown Error]). */
function numberField(text: string): number | null {
  const value = text.trim();
  if (!/^-?[0-9]+(\.[0-9]+)?$/.test(value)) return null;
  return finiteOrNull(Number(value));
}

/** Parses the query's output; lines that are not a GPU's row (an error message) are left out. */
export function parseNvidiaSmiCsv(text: string): NvidiaGpu[] {
  const gpus: NvidiaGpu[] = [];
  for (const line of text.split(/\r?\n/)) {
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length < 6) continue;
    // the name sits between the bus id and the last three numbers, commas and all
    const [indexText, busText] = fields;
    const [temperature, fan, power] = fields.slice(-3).map(numberField);
    const name = fields.slice(2, -3).join(', ');
    const pciAddress = normalizePciAddress(busText!);
    if (!/^[0-9]+$/.test(indexText!) || pciAddress === undefined) continue;
    gpus.push({ index: Number(indexText), pciAddress, name, reading: { temperature: temperature!, fan: fan!, power: power! } });
  }
  return gpus;
}

export interface NvidiaSmiOptions {
  /** The executable (default nvidia-smi, found on PATH). */
  readonly command?: string;
  readonly timeoutMs?: number;
}

export type NvidiaSmiResult = { ok: true; gpus: NvidiaGpu[] } | { ok: false; reason: string; missing: boolean };

/** Runs the query once; never throws. `missing` means no nvidia-smi on this machine. */
export function queryNvidiaSmi(options: NvidiaSmiOptions = {}): Promise<NvidiaSmiResult> {
  return new Promise((resolve) => {
    execFile(options.command ?? 'nvidia-smi', NVIDIA_SMI_ARGS, { timeout: options.timeoutMs ?? 10_000, maxBuffer: 1 << 20, windowsHide: true }, (error, stdout) => {
      if (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        const firstLine = String(stdout).trim().split('\n')[0] || error.message;
        resolve({ ok: false, missing, reason: missing ? 'nvidia-smi not found' : `nvidia-smi failed: ${firstLine}` });
        return;
      }
      resolve({ ok: true, gpus: parseNvidiaSmiCsv(String(stdout)) });
    });
  });
}
