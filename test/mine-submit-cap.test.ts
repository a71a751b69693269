// A pool whose share target nearly every hash meets (2^256 - 1): the miner warns once, searches
// a harder target and sends at most its submission cap, instead of a submit per hash.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { createWasmBackend } from '../src/backends/wasm/index.js';
import { startMiningSession } from '../src/miner/session.js';
import { StratumServer } from '../src/net/server/stratum/server.js';
import { parsePoolUri } from '../src/net/wire/uri.js';
import { createWorkPackage } from '../src/net/wire/work.js';
import { MAX_TARGET } from '../src/pow/target.js';
import { FakeProvider, LOGIN, SEED_EPOCH_31, captureLog, sleep, waitUntil } from './fixtures/net-helpers.js';

const backend = createWasmBackend({ threads: 1 });
after(() => backend.close());

test('a job with target 2^256 - 1: one warning, a harder search target, submissions held to the cap', async () => {
  const provider = new FakeProvider();
  provider.publish(createWorkPackage({ headerHash: new Uint8Array(32).fill(0x5a), seedHash: Buffer.from(SEED_EPOCH_31.slice(2), 'hex'), target: MAX_TARGET, height: 940410 }));
  const server = new StratumServer({ provider, logger: captureLog().logger });
  const { port } = await server.listen({ transport: 'tcp' });
  const datadir = mkdtempSync(path.join(tmpdir(), 'sero-cap-'));
  const log = captureLog();
  const session = startMiningSession({
    pools: [parsePoolUri(`stratum1+tcp://${LOGIN}.cap@127.0.0.1:${port}`)],
    backends: [backend], dagMode: 'small', datadir, profile: 'seed', logger: log.logger, batchMs: 100,
    poolOptions: { submitRate: { perSecond: 10, burst: 10 } },
  });
  const searched: bigint[] = [];
  session.pools.on('work', (work) => searched.push(work.target));
  try {
    await waitUntil(() => provider.shares.length > 0, 60_000, 'a first share');
    const start = provider.shares.length;
    const started = Date.now();
    await sleep(2000);
    const sent = provider.shares.length - start;
    const seconds = (Date.now() - started) / 1000;
    assert.ok(sent <= 10 + 10 * seconds + 2, `${sent} shares sent in ${seconds} s under a cap of 10/s`);
    // The devices search a harder target than the pool's (its shares are the pool's shares too).
    assert.ok(searched.length >= 1 && searched.every((target) => target <= (MAX_TARGET + 1n) / 16n), searched.map((t) => t.toString(16)).join(', '));
    assert.equal(log.lines.filter((l) => /nearly every hash is a share/.test(l)).length, 1, log.lines.join('\n'));
    assert.ok(log.lines.filter((l) => /faster than 10\/s/.test(l)).length <= 1, 'the over-cap warning is folded');
  } finally {
    await session.stop();
    await server.close();
    rmSync(datadir, { recursive: true, force: true });
  }
});
