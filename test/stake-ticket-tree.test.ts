import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom, randomInt } from '../src/devnet/stake/random.js';
import { TicketTree } from '../src/devnet/stake/ticket-tree.js';

const id = (n: number): string => `0x${n.toString(16).padStart(64, '0')}`;

test('indices map to shares in ascending id order, weighted by tickets (stake-mainnet.md 2.2 example)', () => {
  const tree = new TicketTree();
  const [a, b, c] = [id(0x0a), id(0x0b), id(0x0c)];
  // Inserted out of order on purpose: only the id order counts.
  tree.insert(c, 2);
  tree.insert(a, 5);
  tree.insert(b, 3);
  assert.equal(tree.size, 10);
  assert.deepEqual([1, 3, 8].map((i) => tree.findByIndex(i)), [a, a, c]);
  assert.deepEqual([0, 4, 5, 7, 9].map((i) => tree.findByIndex(i)), [a, a, b, b, c]);
  assert.throws(() => tree.findByIndex(10), RangeError);
});

test('ids compare as 256-bit big-endian numbers', () => {
  const tree = new TicketTree();
  const high = '0xff00000000000000000000000000000000000000000000000000000000000000';
  const low = '0x00000000000000000000000000000000000000000000000000000000000000ff';
  tree.insert(high, 1);
  tree.insert(low, 1);
  assert.deepEqual([...tree.entries()].map(([key]) => key), [low, high]);
});

test('removing tickets shifts later indices; a share leaves at zero', () => {
  const tree = new TicketTree();
  tree.insert(id(1), 2);
  tree.insert(id(2), 1);
  tree.remove(id(1), 1);
  assert.equal(tree.ticketsOf(id(1)), 1);
  assert.equal(tree.findByIndex(1), id(2));
  tree.remove(id(1), 1);
  assert.equal(tree.shareCount, 1);
  assert.equal(tree.findByIndex(0), id(2));
  assert.throws(() => tree.remove(id(2), 2), RangeError);
  assert.throws(() => tree.insert(id(2), 1), /already/);
});

test('matches a sorted prefix-sum model and stays balanced under random churn', () => {
  const random = SeededRandom.fromSeed('tree churn');
  const tree = new TicketTree();
  const model = new Map<string, number>();
  for (let step = 0; step < 3000; step++) {
    const key = id(randomInt(random, 0, 400));
    const held = model.get(key) ?? 0;
    if (held === 0) {
      const tickets = randomInt(random, 1, 9);
      tree.insert(key, tickets);
      model.set(key, tickets);
    } else {
      const taken = randomInt(random, 1, held);
      tree.remove(key, taken);
      if (taken === held) model.delete(key);
      else model.set(key, held - taken);
    }
    if (step % 100 === 0) {
      const sorted = [...model].sort(([x], [y]) => (x < y ? -1 : 1));
      assert.deepEqual([...tree.entries()], sorted);
      let index = 0;
      for (const [key, tickets] of sorted) {
        assert.equal(tree.findByIndex(index), key);
        assert.equal(tree.findByIndex(index + tickets - 1), key);
        index += tickets;
      }
      assert.equal(tree.size, index);
      assert.ok(tree.height <= 1.45 * Math.log2(tree.shareCount + 2), `height ${tree.height} for ${tree.shareCount}`);
    }
  }
});
