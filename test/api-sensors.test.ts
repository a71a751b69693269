// Sensor readings from the recorded fixtures (nvidia-smi on PATH, a sysfs tree under
// SERO_MINER_SYSFS_ROOT) through a running rig to every place a rig owner reads them:
// miner_getstat1's temp;fan slots, miner_getstatdetail's pci and sensors, /api/status, /metrics,
// the /getstat1 page and the dashboard in a real browser; and --tstop/--tstart pausing a card
// for heat, shown there too, beside a pause through the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SearchBackend, SearchResult } from '../src/backends/backend.js';
import { startRigServices, type RigOptions } from '../src/cli/rig-options.js';
import { startDevnet } from '../src/devnet/index.js';
import { startMiningSession } from '../src/miner/session.js';
import { parsePoolUri } from '../src/net/wire/uri.js';
import { silentLogger } from '../src/util/log.js';
import { freePort, httpRequest, TcpRpcClient } from './support/api-client.js';
import { launchBrowser, text } from './support/browser.js';
import { waitUntil } from './fixtures/net-helpers.js';
import { repoRoot } from './support/vectors.js';
import { RIG_ADAPTERS as LISTING } from './fixtures/rig-adapters.js';

/** A backend that hashes at once and finds nothing: the devices' numbers here are the sensors'. */
function idleBackend(name: 'webgpu' | 'wasm', device: string): SearchBackend {
  return {
    name, device,
    prepare: async () => undefined,
    close: async () => undefined,
    search: (_job, _start, count): Promise<SearchResult> => new Promise((resolve) => setTimeout(() => resolve({ solutions: [], hashes: count }), 5)),
  };
}


test('the fixtures\' readings reach getstat1, getstatdetail, /api/status, /metrics, /getstat1 and the dashboard; --tstop pauses a hot card until it cools to --tstart', async () => {
  const sysfs = mkdtempSync(path.join(tmpdir(), 'sero-sysfs-'));
  cpSync(path.join(repoRoot, 'test/fixtures/sysfs'), sysfs, { recursive: true, verbatimSymlinks: true });
  const amdEdge = path.join(sysfs, 'class/drm/card1/device/hwmon/hwmon3/temp1_input');
  const saved = { PATH: process.env.PATH, SERO_MINER_SYSFS_ROOT: process.env.SERO_MINER_SYSFS_ROOT };
  process.env.PATH = `${path.join(repoRoot, 'test/fixtures/nvidia-smi/rig')}${path.delimiter}${process.env.PATH}`;
  process.env.SERO_MINER_SYSFS_ROOT = sysfs;

  const devnet = await startDevnet({ dag: 'small', stratumTlsPort: null, stratumWsPort: null, logger: silentLogger });
  const session = startMiningSession({
    pools: [parsePoolUri(devnet.endpoints.stratum.replace('://', '://devnet-miner.sensors@'))],
    backends: [idleBackend('webgpu', 'NVIDIA GeForce RTX 3070'), idleBackend('webgpu', 'AMD Radeon RX 6800 XT'), idleBackend('wasm', 'AMD EPYC (WASM)')],
    dagMode: 'small', datadir: mkdtempSync(path.join(tmpdir(), 'sero-sensors-')), profile: 'seed', logger: silentLogger, batchMs: 50,
  });
  const options: RigOptions = {
    backend: ['webgpu', 'wasm'], dagLoadMode: 'parallel', apiPort: await freePort(), watchdog: 0, watchdogWork: 0, watchdogRestarts: 3, verbosity: 0,
    HWMON: 2, tstop: 80, tstart: 60,
  };
  // the session mines on the second RTX 3070, the first RX 6800 XT and the CPU
  const rig = await startRigServices({
    session, options, log: silentLogger, setVerbosity: () => {}, onGiveUp: () => {},
    sensors: { devices: [LISTING[1]!, LISTING[3]!, LISTING[7]!], listing: LISTING },
  });
  const port = rig.api!.port;
  const api = await TcpRpcClient.connect(port);
  const browser = await launchBrowser('chromium');
  try {
    await rig.sensors.poll();
    const stat1 = (await api.call('miner_getstat1')).result as string[];
    assert.equal(stat1[6], '63;52;61;40;48;0', 'temp;fan per device, the CPU\'s unknown fan as serominer\'s 0');
    const detail = (await api.call('miner_getstatdetail')).result;
    assert.deepEqual(detail.devices.map((d: any) => d.hardware.pci), ['02:00.0', '0b:00.0', null]);
    assert.deepEqual(detail.devices.map((d: any) => d.hardware.sensors), [[63, 52, 171.08], [61, 40, 187], [48.25, null, null]]);
    assert.deepEqual(detail.monitors, { temperatures: [60, 80] });
    const status = JSON.parse((await httpRequest(port, '/api/status')).body);
    assert.deepEqual(status.devices.map((d: any) => [d.pci, d.sensors]), [
      ['0000:02:00.0', { temperature: 63, fan: 52, power: 171.08 }],
      ['0000:0b:00.0', { temperature: 61, fan: 40, power: 187 }],
      [null, { temperature: 48.25, fan: null, power: null }],
    ]);
    assert.deepEqual(status.thermal, { stop: 80, start: 60 });
    const metrics = (await httpRequest(port, '/metrics')).body;
    const samples = (name: string) => [...metrics.matchAll(new RegExp(`^${name}\\{device="(\\d)"[^}]*\\} (\\S+)$`, 'gm'))].map((m) => `${m[1]}=${m[2]}`);
    assert.deepEqual(samples('sero_miner_device_temperature_celsius'), ['0=63', '1=61', '2=48.25']);
    assert.deepEqual(samples('sero_miner_device_fan_ratio'), ['0=0.52', '1=0.4'], 'the CPU\'s unknown fan has no sample');
    assert.deepEqual(samples('sero_miner_device_power_watts'), ['0=171.08', '1=187']);
    const page = (await httpRequest(port, '/getstat1')).body;
    assert.match(page, /<td>02:00\.0<\/td><td>NVIDIA GeForce RTX 3070<\/td><td>WebGPU<\/td><td>No<\/td><td>[^<]+<\/td><td>0<\/td><td>63<\/td><td>52<\/td><td>171<\/td>/);
    assert.match(page, /<td>wasm:2<\/td>.*<td>48<\/td><td>n\/a<\/td><td>n\/a<\/td>/);

    const dashboard = browser.page;
    await dashboard.goto(`http://127.0.0.1:${port}/`);
    const sensorCells = () => dashboard.$$eval('#devices td.sensors', (cells) => cells.map((cell) => cell.textContent));
    await waitFor(async () => (await sensorCells()).length === 3);
    assert.deepEqual(await sensorCells(), ['63°C · 52% · 171W', '61°C · 40% · 187W', '48°C · n/a · n/a']);

    // the RX 6800 XT heats up past --tstop: paused for heat, everywhere
    writeFileSync(amdEdge, '85000\n');
    await rig.sensors.poll();
    assert.deepEqual(session.rig.devices.map((d) => d.paused), [false, true, false]);
    const hot = (await api.call('miner_getstatdetail')).result.devices[1].mining;
    assert.deepEqual([hot.paused, hot.pause_reason], [true, 'Overheating']);
    assert.match((await httpRequest(port, '/metrics')).body, /^sero_miner_device_heat_paused\{device="1"[^}]*\} 1$/m);
    const state = () => text(dashboard, '#devices tr[data-device="1"] td[data-label=State]');
    await waitFor(async () => (await state()) === 'paused (heat)');
    assert.equal(await text(dashboard, '#devices tr[data-device="1"] td.sensors'), '85°C · 40% · 187W');

    // paused through the API as well: cooling lets go of the heat only
    session.rig.devices[1]!.setPaused(true, 'api');
    writeFileSync(amdEdge, '58000\n');
    await rig.sensors.poll();
    const both = (await api.call('miner_getstatdetail')).result.devices[1].mining;
    assert.deepEqual([both.paused, both.pause_reason], [true, 'Api request']);
    await waitFor(async () => (await state()) === 'paused (api)');
    session.rig.devices[1]!.setPaused(false, 'api');
    assert.equal(session.rig.devices[1]!.paused, false);
    await waitUntil(() => rig.status.snapshot().devices[1]!.state === 'mining', 5000, 'the card mining again');
  } finally {
    await browser.close();
    api.close();
    await rig.stop();
    await session.stop();
    await devnet.close();
    process.env.PATH = saved.PATH;
    if (saved.SERO_MINER_SYSFS_ROOT === undefined) delete process.env.SERO_MINER_SYSFS_ROOT;
    else process.env.SERO_MINER_SYSFS_ROOT = saved.SERO_MINER_SYSFS_ROOT;
  }
});

async function waitFor(probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the dashboard');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
