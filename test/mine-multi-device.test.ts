// Several devices at once, as `mine --backend webgpu,wasm` runs them: lavapipe (WebGPU) and the
// CPU (WASM) mine together on the embedded devnet, each in its own nonce segment. Every range a
// device was given lies in its segment and no two devices' ranges of a job overlap; every share
// each device found is valid by the TypeScript reference; the pool accepted them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDevnet } from '../src/devnet/index.js';
import { hasWebgpuAdapter } from '../src/backends/webgpu/index.js';
import { createLightHash } from '../src/backends/light-hasher.js';
import { selectDevices } from '../src/backends/select.js';
import type { Solution } from '../src/backends/backend.js';
import { dagStage } from '../src/miner/dag-stage.js';
import { SEGMENT_SIZE, segmentOf } from '../src/miner/nonce-segments.js';
import { startMiningSession } from '../src/miner/session.js';
import { parsePoolUri } from '../src/net/wire/uri.js';
import type { WorkPackage } from '../src/net/wire/work.js';
import { dagSpecForBlock } from '../src/pow/epoch.js';
import { meetsTarget } from '../src/pow/target.js';
import { bytesTo0x } from '../src/util/hex.js';
import { silentLogger } from '../src/util/log.js';
import { waitUntil } from './fixtures/net-helpers.js';

const U64 = 1n << 64n;
const skip = (await hasWebgpuAdapter()) || process.env.CI === 'true' ? false : 'no WebGPU adapter (install Mesa >= 24 lavapipe)';

interface Range { device: number; work: WorkPackage; start: bigint; count: number }

test('lavapipe and WASM mine together: disjoint nonce ranges, every share valid', { skip }, async () => {
  const devnet = await startDevnet({
    dag: 'small', initialDifficulty: 16_000n, blockTimeSeconds: 3, voterOnlineProbability: 1, voteLatencyMs: [20, 200],
    stratumTlsPort: null, stratumWsPort: null, logger: silentLogger,
  });
  // a fixed launch skips the kernel tuning, which is not what this test is about
  const slots = await selectDevices({ backends: ['webgpu', 'wasm'], wasm: { threads: 1 }, webgpu: { launch: { workgroupSize: 64, groups: 16, batch: 4096 } }, log: silentLogger });
  assert.deepEqual(slots.map((s) => s.entry.kind), ['webgpu', 'wasm']);
  const backends = [];
  for (const slot of slots) backends.push(await slot.open());
  const session = startMiningSession({
    pools: [parsePoolUri(devnet.endpoints.stratum.replace('://', '://devnet-miner.rig@'))], backends, dagMode: 'small',
    datadir: mkdtempSync(path.join(tmpdir(), 'sero-multi-')), profile: 'seed', logger: silentLogger, batchMs: 300,
    devices: { reopen: (i) => slots[i]!.open(), dagStage: dagStage('sequential') },
  });
  const { rig: miner } = session;
  const ranges: Range[] = [];
  const found: { device: number; work: WorkPackage; solution: Solution }[] = [];
  const dagWindows: [number, number][] = [];
  for (const device of miner.devices) {
    device.on('range', (work, start, count) => ranges.push({ device: device.index, work, start, count }));
    device.on('solution', (work, solution) => found.push({ device: device.index, work, solution }));
    let began = 0;
    device.on('dagStart', () => (began = performance.now()));
    device.on('dagReady', () => dagWindows.push([began, performance.now()]));
  }
  try {
    await waitUntil(() => miner.devices.every((d) => d.shares.accepted >= 3), 180_000, 'three accepted shares from each device');
  } finally {
    await session.stop();
    await Promise.all(miner.devices.map((d) => d.backend.close()));
    await devnet.close();
  }

  // staged DAG builds: the second device built only after the first was done
  assert.equal(dagWindows.length, 2);
  assert.ok(dagWindows[1]![0] >= dagWindows[0]![1] - 1, `DAG builds overlapped: ${JSON.stringify(dagWindows)}`);

  // each device hashed only inside its own segment, so no nonce of a job was hashed twice
  for (const r of ranges) {
    const segment = segmentOf(miner.scrambler, r.device);
    const offset = (r.start - segment.start + U64) % U64;
    assert.ok(offset + BigInt(r.count) <= SEGMENT_SIZE, `device ${r.device} range ${r.start}+${r.count} leaves its segment`);
  }
  for (const work of new Set(ranges.map((r) => r.work))) {
    const own = ranges.filter((r) => r.work === work).map((r) => ({ ...r, from: r.start, to: r.start + BigInt(r.count) }));
    for (const a of own) for (const b of own) {
      if (a.device !== b.device) assert.ok(a.to <= b.from || b.to <= a.from, `devices ${a.device} and ${b.device} overlap on job ${work.jobId}`);
    }
  }
  assert.ok(new Set(ranges.map((r) => r.device)).size === 2, 'both devices searched');

  // every solution is valid by the reference and belongs to the device's segment
  const spec = dagSpecForBlock(found[0]!.work.height, 'small');
  const reference = createLightHash(spec, undefined, 'reference');
  for (const { device, work, solution } of found) {
    const check = reference(work.headerHash, solution.nonce, work.height);
    assert.equal(bytesTo0x(solution.mixDigest), bytesTo0x(check.mixDigest), `device ${device} nonce ${solution.nonce}`);
    assert.ok(meetsTarget(check.finalHash, work.target));
    const offset = (solution.nonce - segmentOf(miner.scrambler, device).start + U64) % U64;
    assert.ok(offset < SEGMENT_SIZE);
  }
  assert.ok(found.some((f) => f.device === 0) && found.some((f) => f.device === 1));
  for (const device of miner.devices) {
    assert.equal(device.shares.rejected, 0, `device ${device.index}`);
    assert.ok(device.meter.total > 0);
  }
  assert.equal(miner.shares.rejected, 0);
  assert.equal(miner.shares.accepted, miner.devices.reduce((n, d) => n + d.shares.accepted, 0));
});
