// A pause is not a slow block: time the devnet's chain was not being mined (no miner logged in,
// no getwork call, the process down) counts as at most one block time in the retarget, so the
// difficulty a miner finds when it comes back is the one it left; while mined, the retarget
// keeps its shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockHash } from '../src/devnet/chain/block.js';
import { GETWORK_LEASE_MS, MiningClock } from '../src/devnet/chain/mining-clock.js';
import { coinbaseFor, genesisBlock } from '../src/devnet/chain/template.js';
import { WorkBook } from '../src/devnet/work-book.js';
import { LOGIN } from './fixtures/net-helpers.js';
import { LineClient, startTestDevnet } from './support/devnet.js';

const rule = { blockTimeSeconds: 10, quotient: 8n, minimumDifficulty: 1_000n };
const T0 = 1_800_000_000;
const parent = genesisBlock(940_410, 80_000n, BigInt(T0), coinbaseFor('pool'), [], new Uint8Array(32));
const at = (seconds: number) => (T0 + seconds) * 1000;

test('the mining clock: logged-in sessions and getwork leases are mined time, the rest is paused', () => {
  const clock = new MiningClock();
  assert.equal(clock.pausedMs(at(0), at(100)), 100_000, 'nobody has mined yet');
  clock.setSessions(1, at(100));
  clock.setSessions(2, at(110));
  clock.setSessions(0, at(130));
  assert.equal(clock.pausedMs(at(0), at(200)), 170_000);
  clock.polled(at(200));
  clock.polled(at(210));
  assert.ok(clock.isMining(at(220)) && !clock.isMining(at(241)));
  assert.equal(clock.pausedMs(at(0), at(300)), 300_000 - 30_000 - 40_000, 'two polls 10 s apart: one lease from the first to 30 s after the second');
  clock.setSessions(1, at(230));
  assert.equal(clock.pausedMs(at(200), at(300)), 0, 'a session that opened under a lease is not counted twice');
  assert.equal(GETWORK_LEASE_MS, 30_000);
  assert.equal(new MiningClock(true).pausedMs(at(0), at(1000)), 0);
});

test('a chain picked up after minutes keeps its difficulty; the plain rule took the gap for slow blocks', () => {
  const clock = new MiningClock();
  const book = new WorkBook({ retarget: rule, coinbase: coinbaseFor('pool'), clock, recommitMs: 0 });
  const plain = new WorkBook({ retarget: rule, coinbase: coinbaseFor('pool') });
  // the parent was sealed, then nobody mined for 3 minutes (the process was down or no miner was there)
  assert.equal(plain.update(parent, blockHash(parent), at(180))!.difficulty, 1_000n, 'the plain rule: 17 steps down, to the floor');
  assert.equal(book.update(parent, blockHash(parent), at(180))!.difficulty, 80_000n, 'a pause counts as one block time: no step');
  clock.setSessions(1, at(180));
  assert.equal(book.msUntilRetarget(parent, at(180)), 10_000, 'mined from now on, the next step is one block time away');
  assert.equal(book.update(parent, blockHash(parent), at(195))!.difficulty, 80_000n - 10_000n, 'mined 15 s on top of the pause\'s 10: one step down');
  assert.equal(book.update(parent, blockHash(parent), at(215))!.difficulty, 80_000n - 3n * 10_000n, 'the retarget keeps its shape while mined');
  // the miner leaves for a minute: its time does not count, the difficulty stays
  clock.setSessions(0, at(215));
  assert.equal(book.update(parent, blockHash(parent), at(275)), undefined, 'no new difficulty while nobody mines');
  clock.setSessions(1, at(275));
  assert.equal(book.current!.difficulty, 50_000n);
});

test('a running devnet with nobody mining keeps its difficulty; a miner that logs in sees the retarget again', async () => {
  const devnet = await startTestDevnet({ blockTimeSeconds: 1, initialDifficulty: 8_000n, minimumDifficulty: 2n, recommitSeconds: 0 });
  try {
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    assert.equal(devnet.node.currentTemplate!.difficulty, 8_000n, 'four and a half idle seconds are no slow block');
    const miner = await LineClient.connect(devnet.endpoints.stratum);
    assert.equal((await miner.request({ id: 1, method: 'sero_submitLogin', params: [LOGIN, 'x'], worker: 'pace' })).result, true);
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    const difficulty = devnet.node.currentTemplate!.difficulty;
    assert.ok(difficulty < 8_000n && difficulty >= 8_000n - 4n * 1_000n, `mined without a block for 3.5 s at a 1 s block time: a few steps down, got ${difficulty}`);
    miner.close();
  } finally {
    await devnet.close();
  }
});
