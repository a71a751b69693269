// The GPUs the kernel's DRM drivers know (sysfs class/drm/cardN): each card's PCI address,
// vendor and device id, driver, and the hwmon chip its driver registers (amdgpu, i915/xe, nouveau).
import { readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { hwmonDirs, readHwmon, readSysfs } from './hwmon.js';
import { normalizePciAddress, vendorOfPciId } from './pci.js';
import type { SensorReading } from './reading.js';

export interface DrmCard {
  /** card0, card1, … */
  readonly card: string;
  readonly pciAddress: string;
  /** PCI vendor id and device id (0x1002, 0x73bf). */
  readonly vendorId: number;
  readonly deviceId: number;
  /** nvidia, amd, intel, or undefined for another vendor. */
  readonly vendor: string | undefined;
  readonly driver: string | undefined;
  /** The card's device directory in sysfs, where its hwmon chip lives. */
  readonly deviceDir: string;
}

/** uevent's KEY=value lines as a map. */
function parseUevent(text: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text?.split('\n') ?? []) {
    const eq = line.indexOf('=');
    if (eq > 0) map.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return map;
}

/** Every PCI card under `<sysfs>/class/drm`, by card number; connectors (card0-DP-1) and render nodes are left out. */
export async function listDrmCards(sysfsRoot: string): Promise<DrmCard[]> {
  const drm = path.join(sysfsRoot, 'class', 'drm');
  let names: string[];
  try {
    names = (await readdir(drm)).filter((n) => /^card[0-9]+$/.test(n));
  } catch {
    return [];
  }
  names.sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
  const cards: DrmCard[] = [];
  for (const card of names) {
    const deviceDir = path.join(drm, card, 'device');
    const uevent = parseUevent(await readSysfs(path.join(deviceDir, 'uevent')));
    // the device link points at the PCI function's directory, which is named by its address
    const slot = uevent.get('PCI_SLOT_NAME') ?? path.basename(await realpath(deviceDir).catch(() => ''));
    const pciAddress = normalizePciAddress(slot);
    const vendorId = Number.parseInt((await readSysfs(path.join(deviceDir, 'vendor'))) ?? '', 16);
    const deviceId = Number.parseInt((await readSysfs(path.join(deviceDir, 'device'))) ?? '', 16);
    if (pciAddress === undefined || !Number.isFinite(vendorId)) continue;
    cards.push({ card, pciAddress, vendorId, deviceId, vendor: vendorOfPciId(vendorId), driver: uevent.get('DRIVER'), deviceDir });
  }
  return cards;
}

/** Whether the card's driver registered a hwmon chip (the NVIDIA driver does not: NVML reads those). */
export async function hasHwmon(card: DrmCard): Promise<boolean> {
  return (await hwmonDirs(path.join(card.deviceDir, 'hwmon'))).length > 0;
}

/** The card's temperature (amdgpu's "edge", the die, before junction and memory), fan and power. */
export async function readDrmCard(card: DrmCard): Promise<SensorReading | undefined> {
  const [dir] = await hwmonDirs(path.join(card.deviceDir, 'hwmon'));
  return dir === undefined ? undefined : readHwmon(dir, ['edge']);
}
