// PCI addresses and vendors as the sensor sources name them: nvidia-smi's 00000000:01:00.0,
// sysfs' 0000:01:00.0, serominer's 01:00.0 and the farm OSes' decimal bus number.

/** A GPU vendor by its PCI vendor id, in the words WebGPU adapters use (Dawn's vendor names). */
const VENDOR_BY_PCI_ID: Readonly<Record<number, string>> = {
  0x10de: 'nvidia',
  0x1002: 'amd',
  0x8086: 'intel',
};

export function vendorOfPciId(id: number): string | undefined {
  return VENDOR_BY_PCI_ID[id];
}

/** A PCI address in sysfs' form, domain:bus:device.function with a 4-digit domain; undefined when it is none. */
export function normalizePciAddress(text: string): string | undefined {
  const match = /^(?:([0-9a-f]{1,8}):)?([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i.exec(text.trim());
  if (!match) return undefined;
  const domain = Number.parseInt(match[1] ?? '0', 16);
  if (domain > 0xffff) return undefined;
  const hex = (value: string, width: number) => value.toLowerCase().padStart(width, '0');
  return `${hex(domain.toString(16), 4)}:${hex(match[2]!, 2)}:${hex(match[3]!, 2)}.${match[4]}`;
}

/** serominer's bus id: bus:device.function, the domain left out when it is 0 (01:00.0). */
export function shortPciAddress(address: string): string {
  return address.startsWith('0000:') ? address.slice(5) : address;
}

/** The bus number in decimal, as HiveOS' bus_numbers and mmpOS' busid want it (0a:00.0 is 10). */
export function pciBusNumber(address: string): number {
  return Number.parseInt(address.split(':').at(-2)!, 16);
}

/** Orders addresses as the bus enumerates them (domain, bus, device, function). */
export function comparePciAddresses(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
