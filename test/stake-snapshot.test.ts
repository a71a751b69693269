import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sero } from '../src/util/sero-amount.js';
import { StakeChain } from '../src/devnet/stake/stake-chain.js';
import { keccak256Hex } from '../src/devnet/stake/hashes.js';
import { Population } from '../src/devnet/stake/population.js';
import { createProfile, type ProfileName } from '../src/chain/profile.js';
import { SeededRandom } from '../src/devnet/stake/random.js';
import { simulateBlocks } from '../src/devnet/stake/simulation.js';

for (const name of ['seed', 'mainnet'] as const satisfies readonly ProfileName[]) {
  test(`${name}: snapshot → JSON → restore continues exactly like the original`, () => {
    const chain = StakeChain.create(createProfile(name), { startHeight: 7 });
    const population = Population.create({ purchaseValue: sero(60) }, SeededRandom.fromSeed(`snap ${name}`));
    chain.applyBlock({ height: 7, posHash: keccak256Hex('open'), miner: 'miner', transactions: population.openingTransactions(chain) });
    const pow = SeededRandom.fromSeed('pow');
    simulateBlocks(chain, population, { blocks: 40, random: pow });

    const text = JSON.stringify(chain.snapshot());
    assert.doesNotThrow(() => JSON.parse(text), 'plain JSON, no bigints');
    assert.match(text, /"pledge":"200000000000000000000000"/);
    const restored = StakeChain.restore(JSON.parse(text));
    assert.equal(JSON.stringify(restored.snapshot()), text);
    assert.equal(restored.nextHeight, chain.nextHeight);
    assert.equal(restored.ticketCount, chain.ticketCount);
    assert.deepEqual(restored.ledger.totals(), chain.ledger.totals());

    const restoredPopulation = Population.fromJson(JSON.parse(JSON.stringify(population.toJson())));
    const restoredPow = SeededRandom.fromState(pow.state());
    const original = simulateBlocks(chain, population, { blocks: 40, random: pow });
    const replayed = simulateBlocks(restored, restoredPopulation, { blocks: 40, random: restoredPow });
    assert.deepEqual(
      replayed.map((b) => [b.height, b.attempts, b.result.selection]),
      original.map((b) => [b.height, b.attempts, b.result.selection]),
    );
    assert.equal(JSON.stringify(restored.snapshot()), JSON.stringify(chain.snapshot()));
    restored.ledger.verifyBalance();
  });
}

test('a snapshot is a copy: changing it does not change the chain', () => {
  const chain = StakeChain.create(createProfile('seed'), { startHeight: 0 });
  chain.applyBlock({ height: 0, posHash: keccak256Hex('0'), miner: 'm' });
  const snapshot = chain.snapshot();
  snapshot.nextHeight = 99;
  snapshot.ledger.length = 0;
  assert.equal(chain.nextHeight, 1);
  assert.equal(chain.ledger.length, 2);
});

test('restore refuses an unknown format', () => {
  const snapshot = StakeChain.create(createProfile('seed'), { startHeight: 0 }).snapshot();
  assert.throws(() => StakeChain.restore({ ...snapshot, format: 'other/9' }), /unsupported/);
});
