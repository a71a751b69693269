// The hardening figures of issue #12 at CI size (bench/soak.ts; `node dist/bench/soak.js --full`
// is the size): a devnet process on loopback under pipelining, junk-share and malformed
// floods, idle sockets under a low descriptor limit, huge batches, cross-origin and
// unauthenticated writes, 500 stake transactions and a crowd of well-behaved miners.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CI_SIZE, runSoak } from '../bench/soak.js';

test('the devnet holds every hardening figure (CI size)', { timeout: 180_000 }, async (t) => {
  const figures = await runSoak(CI_SIZE, (figure) => t.diagnostic(JSON.stringify(figure)));
  const failed = figures.filter((figure) => !figure.ok);
  assert.deepEqual(failed, [], JSON.stringify(failed, null, 2));
  assert.ok(figures.length >= 15);
});
