// GPU and CPU sensors on recorded fixtures: nvidia-smi's real output for a rig of four NVIDIA
// cards (two identical), a recorded sysfs tree (two identical amdgpu cards, an NVIDIA card
// without hwmon, k10temp), the pairing with WebGPU adapters, --HWMON's levels, and --tstop /
// --tstart driven by a card whose temperature rises and falls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { matchSensors, sensorTargetOf, type SensorGpu, type SensorTarget } from '../src/sensors/adapter-match.js';
import type { DeviceEntry } from '../src/backends/devices.js';
import { findCpuChip, readCpuTemperature } from '../src/sensors/cpu-temperature.js';
import { listDrmCards, readDrmCard } from '../src/sensors/drm-cards.js';
import { queryNvidiaSmi } from '../src/sensors/nvidia-smi.js';
import { normalizePciAddress, pciBusNumber, shortPciAddress } from '../src/sensors/pci.js';
import { formatReading } from '../src/sensors/reading.js';
import { SensorMonitor } from '../src/sensors/sensor-monitor.js';
import { ThermalGuard } from '../src/sensors/thermal-guard.js';
import { repoRoot } from './support/vectors.js';
import { RIG_ADAPTERS } from './fixtures/rig-adapters.js';

const fixtures = path.join(repoRoot, 'test/fixtures');
const sysfs = path.join(fixtures, 'sysfs');
const rigSmi = path.join(fixtures, 'nvidia-smi/rig/nvidia-smi');
const noDriverSmi = path.join(fixtures, 'nvidia-smi/no-driver/nvidia-smi');

const RIG = RIG_ADAPTERS;

test('nvidia-smi: every GPU of the real CSV, [N/A] and [Not Supported] as unknown; no driver and no tool are told apart', async () => {
  const result = await queryNvidiaSmi({ command: rigSmi });
  assert.ok(result.ok);
  assert.deepEqual(result.gpus, [
    { index: 0, pciAddress: '0000:01:00.0', name: 'NVIDIA GeForce RTX 3070', reading: { temperature: 58, fan: 45, power: 165.43 } },
    { index: 1, pciAddress: '0000:02:00.0', name: 'NVIDIA GeForce RTX 3070', reading: { temperature: 63, fan: 52, power: 171.08 } },
    { index: 2, pciAddress: '0000:41:00.0', name: 'NVIDIA A100-PCIE-40GB', reading: { temperature: 34, fan: null, power: 38.27 } },
    { index: 3, pciAddress: '0000:42:00.0', name: 'NVIDIA GeForce GT 1030', reading: { temperature: 41, fan: 35, power: null } },
  ]);
  const noDriver = await queryNvidiaSmi({ command: noDriverSmi });
  assert.equal(noDriver.ok, false);
  assert.equal(!noDriver.ok && noDriver.missing, false);
  assert.match(!noDriver.ok ? noDriver.reason : '', /couldn't communicate with the NVIDIA driver/);
  const missing = await queryNvidiaSmi({ command: path.join(fixtures, 'nvidia-smi/none/nvidia-smi') });
  assert.equal(!missing.ok && missing.missing, true);
});

test('PCI addresses in every form the sources and farm OSes use', () => {
  assert.equal(normalizePciAddress('00000000:0A:00.0'), '0000:0a:00.0');
  assert.equal(normalizePciAddress('0a:00.0'), '0000:0a:00.0');
  assert.equal(normalizePciAddress('wasm:0'), undefined);
  assert.equal(shortPciAddress('0000:0a:00.0'), '0a:00.0');
  assert.equal(pciBusNumber('0000:0a:00.0'), 10);
  assert.equal(pciBusNumber('0000:41:00.0'), 65);
});

test('sysfs: the DRM cards (connectors and render nodes left out), amdgpu\'s edge temperature, fan and power, the CPU\'s Tdie', async () => {
  const cards = await listDrmCards(sysfs);
  assert.deepEqual(cards.map((c) => [c.card, c.pciAddress, c.vendor, c.driver, c.deviceId.toString(16)]), [
    ['card0', '0000:01:00.0', 'nvidia', 'nvidia', '2484'],
    ['card1', '0000:0b:00.0', 'amd', 'amdgpu', '73bf'],
    ['card2', '0000:0c:00.0', 'amd', 'amdgpu', '73bf'],
  ]);
  assert.equal(await readDrmCard(cards[0]!), undefined, 'the NVIDIA driver registers no hwmon');
  // pwm 102/255 is 40 %, 187000000 µW is 187 W; the edge sensor, not junction (74) or memory (72)
  assert.deepEqual(await readDrmCard(cards[1]!), { temperature: 61, fan: 40, power: 187 });
  assert.deepEqual(await readDrmCard(cards[2]!), { temperature: 66, fan: 51, power: 201 });
  const chip = await findCpuChip(sysfs);
  assert.match(chip!.dir, /hwmon1$/, 'k10temp, not the ACPI zone');
  assert.equal(await readCpuTemperature(chip), 48.25, 'Tdie, not the offset Tctl (75.25)');
  assert.equal(await findCpuChip(path.join(fixtures, 'no-such-sysfs')), undefined);
});

const gpusOfFixtures = (): SensorGpu[] => [
  { source: 'nvml', vendor: 'nvidia', pciAddress: '0000:42:00.0', name: 'NVIDIA GeForce GT 1030' },
  { source: 'nvml', vendor: 'nvidia', pciAddress: '0000:02:00.0', name: 'NVIDIA GeForce RTX 3070' },
  { source: 'nvml', vendor: 'nvidia', pciAddress: '0000:41:00.0', name: 'NVIDIA A100-PCIE-40GB' },
  { source: 'nvml', vendor: 'nvidia', pciAddress: '0000:01:00.0', name: 'NVIDIA GeForce RTX 3070' },
  { source: 'hwmon', vendor: 'amd', pciAddress: '0000:0c:00.0' },
  { source: 'hwmon', vendor: 'amd', pciAddress: '0000:0b:00.0' },
];

test('pairing: by vendor and name, identical cards in PCI bus order, the CPU and software adapters on the CPU chip', () => {
  const { sources, notes } = matchSensors(RIG, gpusOfFixtures());
  const where = (i: number) => { const s = sources.get(i); return s?.kind === 'gpu' ? s.gpu.pciAddress : s?.kind; };
  assert.deepEqual(RIG.map((t) => where(t.index)), ['0000:01:00.0', '0000:02:00.0', '0000:41:00.0', '0000:0b:00.0', '0000:0c:00.0', '0000:42:00.0', 'cpu', 'cpu']);
  assert.deepEqual(notes, []);
  // Dawn lists the A100 first: its name still finds it; older drivers' names without "NVIDIA" too
  const reordered = matchSensors([
    { index: 0, kind: 'webgpu', software: false, vendor: 'nvidia', name: 'A100-PCIE-40GB' },
    { index: 1, kind: 'webgpu', software: false, vendor: 'nvidia', name: 'GeForce RTX 3070' },
  ], gpusOfFixtures());
  assert.deepEqual([0, 1].map((i) => { const s = reordered.sources.get(i); return s?.kind === 'gpu' ? s.gpu.pciAddress : undefined; }), ['0000:41:00.0', '0000:01:00.0']);
});

test('a listed device as the matcher sees it: Dawn\'s adapter name (the driver\'s), WebGPU\'s vendor', () => {
  const entry = {
    index: 2, kind: 'webgpu', software: false, name: 'nvidia NVIDIA GeForce RTX 3070: 550.120', adapterName: 'NVIDIA GeForce RTX 3070',
    summary: { vendor: 'nvidia', architecture: 'ampere', device: 'nvidia-geforce-rtx-3070', description: '550.120', isFallbackAdapter: false, features: [], limits: {} },
  } satisfies DeviceEntry;
  assert.deepEqual(sensorTargetOf(entry), { index: 2, kind: 'webgpu', software: false, vendor: 'nvidia', name: 'NVIDIA GeForce RTX 3070' });
  assert.deepEqual(sensorTargetOf({ index: 3, kind: 'wasm', software: false, name: 'AMD EPYC (WASM, 2 cores)' }), { index: 3, kind: 'wasm', software: false, vendor: undefined, name: 'AMD EPYC (WASM, 2 cores)' });
});

test('pairing: adapters a name cannot place are paired in order only when the counts agree; otherwise unknown, with a note', () => {
  const amd = (index: number): SensorTarget => ({ index, kind: 'webgpu', software: false, vendor: 'amd', name: 'AMD Radeon RX 6800 XT' });
  const threeCards: SensorGpu[] = ['0000:0b:00.0', '0000:0c:00.0', '0000:0d:00.0'].map((pciAddress) => ({ source: 'hwmon', vendor: 'amd', pciAddress }));
  const ambiguous = matchSensors([amd(0), amd(1)], threeCards);
  assert.equal(ambiguous.sources.size, 0);
  assert.match(ambiguous.notes[0]!, /2 amd adapter\(s\) \(device 0, 1\) and 3 amd GPU\(s\).*unknown/);
  const paired = matchSensors([amd(0), amd(1), amd(2)], threeCards.slice().reverse());
  assert.deepEqual([0, 1, 2].map((i) => { const s = paired.sources.get(i); return s?.kind === 'gpu' ? s.gpu.pciAddress : undefined; }), ['0000:0b:00.0', '0000:0c:00.0', '0000:0d:00.0']);
  // an adapter whose vendor has no sensor source at all stays unknown
  assert.equal(matchSensors([amd(0)], []).sources.size, 0);
});

test('the monitor reads the session\'s devices from both sources and the CPU, at each --HWMON level', async () => {
  // the session mines on device 1 (the second 3070), 3 (first AMD), 2 (A100) and the CPU; the rest of the listing still places them
  const devices = [RIG[1]!, RIG[3]!, RIG[2]!, RIG[7]!];
  const open = (level: 0 | 1 | 2) => SensorMonitor.open({ devices, listing: RIG, level, sysfsRoot: sysfs, nvidiaSmi: rigSmi });
  const full = await open(2);
  assert.deepEqual(await full.poll(), [
    { temperature: 63, fan: 52, power: 171.08 },
    { temperature: 61, fan: 40, power: 187 },
    { temperature: 34, fan: null, power: 38.27 },
    { temperature: 48.25, fan: null, power: null },
  ]);
  assert.deepEqual([0, 1, 2, 3].map((i) => full.pciAddress(i)), ['0000:02:00.0', '0000:0b:00.0', '0000:41:00.0', null]);
  assert.equal(formatReading(full.readings[2]!), '34°C n/a 38W');
  const tempAndFan = await open(1);
  assert.deepEqual((await tempAndFan.poll()).map((r) => r.power), [null, null, null, null]);
  assert.deepEqual((await tempAndFan.poll()).map((r) => r.temperature), [63, 61, 34, 48.25]);
  const off = await open(0);
  off.start();
  assert.deepEqual(off.readings, devices.map(() => ({ temperature: null, fan: null, power: null })), 'level 0 reads nothing');
  off.stop();
  assert.equal(off.pciAddress(1), '0000:0b:00.0', 'the bus id is known whatever the level (farm OSes match on it)');

  // the driver gone: NVIDIA readings are unknown, said once; the AMD card still reads
  const lines: string[] = [];
  const noDriver = await SensorMonitor.open({ devices, listing: RIG, level: 2, sysfsRoot: sysfs, nvidiaSmi: noDriverSmi, log: (_l, m) => lines.push(m) });
  assert.deepEqual((await noDriver.poll()).map((r) => r.temperature), [null, 61, null, 48.25]);
  assert.equal(lines.filter((l) => /couldn't communicate/.test(l)).length, 1);
});

test('--tstop pauses a device that reaches it and --tstart resumes it once cooled; an unknown temperature changes nothing', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'sero-sysfs-'));
  cpSync(sysfs, root, { recursive: true, verbatimSymlinks: true });
  const edge = path.join(root, 'class/drm/card2/device/hwmon/hwmon4/temp1_input');
  const tdie = path.join(root, 'class/hwmon/hwmon1/temp2_input');
  const monitor = await SensorMonitor.open({ devices: [RIG[4]!, RIG[7]!], listing: RIG, level: 1, sysfsRoot: root });
  const events: string[] = [];
  const guard = new ThermalGuard({ limits: { stop: 80, start: 60 }, setHot: (d, hot) => events.push(`${d} ${hot ? 'paused' : 'resumed'}`), log: () => {} });
  monitor.on('readings', (r) => guard.update(r));
  const step = async (amd: number | '', cpu: number) => {
    writeFileSync(edge, amd === '' ? '' : `${amd * 1000}\n`);
    writeFileSync(tdie, `${cpu * 1000}\n`);
    await monitor.poll();
    return [guard.isHot(0), guard.isHot(1)];
  };
  assert.deepEqual(await step(70, 50), [false, false]);
  assert.deepEqual(await step(80, 79), [true, false], 'reaching tstop pauses');
  assert.deepEqual(await step(72, 85), [true, true], 'between the limits a paused device stays paused');
  assert.deepEqual(await step('', 85), [true, true], 'an unreadable temperature leaves it paused');
  assert.equal(monitor.readings[0]!.temperature, null);
  assert.deepEqual(await step(60, 40), [false, false], 'cooled to tstart, both resume');
  assert.deepEqual(await step(75, 70), [false, false], 'a resumed device runs on below tstop');
  assert.deepEqual(events, ['0 paused', '1 paused', '0 resumed', '1 resumed']);
  assert.throws(() => new ThermalGuard({ limits: { stop: 60, start: 60 }, setHot: () => {}, log: () => {} }), /--tstart \(60\) must be below --tstop \(60\)/);
});
