// The devnet chain's pieces: the retarget rule, block and seal hashes, work packages, the
// start-height rule and the stored block form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextDifficulty, validateRule } from '../src/devnet/chain/difficulty.js';
import { blockHash } from '../src/devnet/chain/block.js';
import { blockFromJson, blockToJson } from '../src/devnet/chain/codec.js';
import { buildTemplate, coinbaseFor, genesisBlock } from '../src/devnet/chain/template.js';
import { checkFirstHeight } from '../src/devnet/open-state.js';
import { WorkBook } from '../src/devnet/work-book.js';
import { sealHash } from '../src/pow/header.js';
import { getworkBoundary } from '../src/pow/target.js';
import { bytesToBigInt } from '../src/util/bytes.js';
import { hashPos } from '../src/devnet/stake/hashes.js';

const mainnetRule = { blockTimeSeconds: 9, quotient: 2048n, minimumDifficulty: 131_072n };

test('retarget: D + floor(D/q)·max(1 − floor(dt/T), −99), with the minimum as floor', () => {
  const d = 1_000_000_000n;
  const step = d / 2048n;
  assert.equal(nextDifficulty(d, 0, mainnetRule), d + step);
  assert.equal(nextDifficulty(d, 8, mainnetRule), d + step);
  assert.equal(nextDifficulty(d, 9, mainnetRule), d);
  assert.equal(nextDifficulty(d, 17, mainnetRule), d);
  assert.equal(nextDifficulty(d, 18, mainnetRule), d - step);
  assert.equal(nextDifficulty(d, 45, mainnetRule), d - 4n * step);
  assert.equal(nextDifficulty(d, 1_000_000, mainnetRule), d - 99n * step, 'at most 99 steps down');
  const devnet = { blockTimeSeconds: 10, quotient: 8n, minimumDifficulty: 2n };
  assert.equal(nextDifficulty(4n, 3, devnet), 5n, 'a step is at least 1 below q');
  assert.equal(nextDifficulty(80_000n, 2, devnet), 90_000n, 'q = 8: a fast block adds 12.5 %');
  assert.equal(nextDifficulty(80_000n, 25, devnet), 70_000n, 'and a block of 2T removes as much');
  assert.equal(nextDifficulty(1_000n, 1_000, devnet), 2n, 'never below the minimum');
  assert.throws(() => validateRule({ ...devnet, minimumDifficulty: 1n }), /minimum difficulty must be >= 2/);
  assert.throws(() => validateRule({ ...devnet, blockTimeSeconds: 0 }), /block time/);
});

test('start heights below the ProgPoW fork are refused with the reason', () => {
  assert.throws(() => checkFirstHeight(940_409), /start height 940409 refused: SERO seals with ProgPoW only from height 940410/);
  assert.throws(() => checkFirstHeight(0x9660181), /above/);
  assert.doesNotThrow(() => checkFirstHeight(940_410));
  assert.doesNotThrow(() => checkFirstHeight(7_981_234));
});

const genesis = genesisBlock(940_410, 1_000n, 1_700_000_000n, coinbaseFor('pool'), [], new Uint8Array(32));

test('templates: SERO seal hash of the 12 fields; the block hash also covers mix, nonce and votes', () => {
  assert.equal(genesis.header.coinbase.length, 96);
  assert.equal(genesis.posHash, hashPos(`0x${'00'.repeat(32)}`, 0n));
  const template = buildTemplate(genesis, blockHash(genesis), 1_700_000_005n, 1_125n, coinbaseFor('pool'));
  assert.equal(template.height, 940_410);
  assert.deepEqual(template.sealHash, sealHash(template.header));
  assert.equal(template.blockTarget, (1n << 256n) / 1_125n);

  const vote = { height: 940_410, posHash: `0x${'11'.repeat(32)}`, ticketIndex: 4, shareId: `0x${'22'.repeat(32)}`, isPool: true, signature: `0x${'33'.repeat(64)}` };
  const sealed = { ...genesis, header: template.header, mixDigest: new Uint8Array(32).fill(9), nonce: 42n, currentVotes: [], parentVotes: [] };
  const withVote = { ...sealed, currentVotes: [vote] };
  const asSolo = { ...sealed, currentVotes: [{ ...vote, isPool: false }] };
  const hashes = [sealed, withVote, asSolo, { ...sealed, nonce: 43n }].map((b) => Buffer.from(blockHash(b)).toString('hex'));
  assert.equal(new Set(hashes).size, 4, 'votes, their kind and the nonce all change the block hash');
  assert.deepEqual(sealHash(withVote.header), template.sealHash, 'the seal hash ignores them');
});

test('work packages: the pool job carries the share target, the node work the block boundary', () => {
  const book = new WorkBook({ retarget: { blockTimeSeconds: 10, quotient: 8n, minimumDifficulty: 2n }, coinbase: coinbaseFor('pool') });
  const nowMs = (Number(genesis.header.timestamp) + 3) * 1000;
  const template = book.update(genesis, blockHash(genesis), nowMs)!;
  assert.equal(template.difficulty, 1_125n);
  assert.equal(book.update(genesis, blockHash(genesis), nowMs + 1_000), undefined, 'same difficulty: the template stays');
  assert.equal(book.msUntilRetarget(genesis, nowMs), 7_000);

  const pool = book.poolWork(template);
  const node = book.nodeWork(template);
  assert.equal(pool.jobId, node.jobId);
  assert.equal(pool.height, 940_410);
  assert.equal(book.shareDifficulty(template), 140n, 'default share difficulty: an eighth of the block difficulty');
  assert.equal(pool.target, (1n << 256n) / 140n);
  assert.equal(node.target, bytesToBigInt(getworkBoundary(1_125n)));
  assert.equal(book.find(pool.jobId), template);

  const later = book.update(genesis, blockHash(genesis), nowMs + 7_000)!;
  assert.equal(later.difficulty, 1_000n, 'ten seconds after the parent the difficulty stops rising');
  assert.equal(book.find(pool.jobId), template, 'the earlier template of the height still takes shares');

  const capped = new WorkBook({ retarget: { blockTimeSeconds: 10, quotient: 8n, minimumDifficulty: 2n }, shareDifficulty: 1_000_000n, coinbase: coinbaseFor('pool') });
  const t = capped.update(genesis, blockHash(genesis), nowMs)!;
  assert.equal(capped.shareDifficulty(t), t.difficulty, 'a share is never harder than a block');
});

test('stored blocks read back identical, amounts included', () => {
  const block = {
    ...genesis,
    txResults: [
      { ok: true as const, type: 'buy-share' as const, txHash: `0x${'aa'.repeat(32)}`, shareId: `0x${'bb'.repeat(32)}`, tickets: 3, averagePrice: 2_000_379_678_620_419_361n, charged: 6n, change: 7n },
      { ok: false as const, type: 'close-node' as const, txHash: `0x${'cc'.repeat(32)}`, error: 'no StakingNode', refunded: 0n },
    ],
  };
  const copy = blockFromJson(JSON.parse(JSON.stringify(blockToJson(block))));
  assert.deepEqual(copy, block);
  assert.deepEqual(blockHash(copy), blockHash(block));
});
