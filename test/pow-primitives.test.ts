// The reference's primitives the other backends do not share: KISS99, the period program, hash_seed,
// mulHi, targets, the header seal hash and hex parsing (the shared families are in pow-vectors.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { powVectors, hex, word } from './support/vectors.js';
import { Kiss99 } from '../src/pow/kiss99.js';
import { progpowSeed } from '../src/pow/keccak-f800.js';
import { progpowInit, buildProgram, packProgram, PACKED_OP_WORDS } from '../src/pow/progpow-program.js';
import { mulHi } from '../src/pow/progpow-math.js';
import { bytesTo0x, bytesToHex, HexError, parseHexBytes, parseU64 } from '../src/util/hex.js';
import { wordsLE } from '../src/util/bytes.js';
import { difficultyToTarget, getworkBoundary, meetsTarget, boundaryToTarget } from '../src/pow/target.js';
import { sealHash, sealRlp, type SealedHeader } from '../src/pow/header.js';

const v = powVectors();

test('kiss99 reproduces the reference stream', () => {
  const k = new Kiss99(v.kiss99.z, v.kiss99.w, v.kiss99.jsr, v.kiss99.jcong);
  assert.deepEqual([k.next(), k.next(), k.next(), k.next()], v.kiss99.first_4_outputs);
});

test('hash_seed: the keccak-f800 output of a zero digest, read big-endian', () => {
  for (const c of v.keccak_f800_progpow.filter((k) => k.hash_seed_if_digest_zero)) {
    const s = progpowSeed(wordsLE(hex(c.header_hash)), BigInt('0x' + c.seed));
    const joined = s.hi.toString(16).padStart(8, '0') + s.lo.toString(16).padStart(8, '0');
    assert.equal(joined, c.hash_seed_if_digest_zero, c.id);
  }
});

test('progpow_init: kiss state and register sequences per period', () => {
  for (const c of v.progpow_init) {
    const init = progpowInit(c.prog_seed);
    assert.deepEqual([init.kiss.z, init.kiss.w, init.kiss.jsr, init.kiss.jcong], [c.kiss_z, c.kiss_w, c.kiss_jsr, c.kiss_jcong].map(word), `period ${c.prog_seed}`);
    assert.deepEqual(init.dstSeq, c.dst_seq);
    assert.deepEqual(init.srcSeq, c.src_seq);
    assert.deepEqual([init.kiss.next(), init.kiss.next(), init.kiss.next(), init.kiss.next()], c.next_4_kiss99_outputs.map(word));
  }
});

test('program data: 12 cache ops and 20 math ops in draw order, packed losslessly', () => {
  const program = buildProgram(600);
  assert.equal(program.ops.filter((o) => o.kind === 'cache').length, 12);
  assert.equal(program.ops.filter((o) => o.kind === 'math').length, 20);
  assert.equal(program.dagDst[0], 0);
  // the first op of every period is a cache op reading src_seq[0] into dst_seq[0]
  const init = progpowInit(600);
  const first = program.ops[0]!;
  assert.ok(first.kind === 'cache' && first.src === init.srcSeq[0] && first.dst === init.dstSeq[0]);
  // DAG merges go to dst_seq[0..2] after 32 destination draws
  assert.deepEqual(program.dagDst.slice(1), init.dstSeq.slice(0, 3));
  const packed = packProgram(program);
  assert.equal(packed.length, 32 * PACKED_OP_WORDS + 8);
  assert.deepEqual(Array.from(packed.subarray(32 * PACKED_OP_WORDS + 4)), program.dagSel.map((x) => x >>> 0));
  assert.notDeepEqual(buildProgram(601).ops, program.ops);
});

test('mulHi equals the BigInt product over random inputs', () => {
  let x = 0x12345678;
  for (let i = 0; i < 2000; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const y = (Math.imul(x ^ 0x9e3779b9, 2654435761) + i) >>> 0;
    assert.equal(mulHi(x, y), Number((BigInt(x) * BigInt(y)) >> 32n));
  }
});

test('targets and getwork boundaries', () => {
  for (const c of v.targets) {
    const d = BigInt(c.difficulty);
    assert.equal(difficultyToTarget(d), BigInt('0x' + c.target), `target D=${c.difficulty}`);
    assert.equal(bytesToHex(getworkBoundary(d)), c.getwork_boundary, `boundary D=${c.difficulty}`);
  }
  assert.throws(() => difficultyToTarget(0n), RangeError);
});

test('target check is a 256-bit big-endian comparison with <=', () => {
  const t = 0x00ff00n << 232n;
  const at = new Uint8Array(32); at[1] = 0xff;
  const above = at.slice(); above[31] = 1;
  assert.equal(meetsTarget(at, t), true);
  assert.equal(meetsTarget(above, t), false);
  assert.equal(meetsTarget(new Uint8Array(32).fill(0xff), boundaryToTarget(new Uint8Array(32))), true);
});

test('header seal hash (HashPow) vectors', () => {
  for (const c of v.header_hash_pow) {
    const f = c.fields;
    const header: SealedHeader = {
      parentHash: hex(f.parentHash!), coinbase: hex(f.coinbase!), stateRoot: hex(f.stateRoot!),
      transactionsRoot: hex(f.transactionsRoot!), receiptsRoot: hex(f.receiptsRoot!), logsBloom: hex(f.logsBloom!),
      difficulty: BigInt(f.difficulty!), number: BigInt(f.number!), gasLimit: BigInt(f.gasLimit!),
      gasUsed: BigInt(f.gasUsed!), timestamp: BigInt(f.timestamp!), extraData: hex(f.extraData!),
    };
    assert.equal(bytesToHex(sealRlp(header)), c.rlp, c.id);
    assert.equal(bytesToHex(sealHash(header)), c.hash_pow, c.id);
  }
});

test('strict hex and u64 parsing', () => {
  assert.equal(bytesTo0x(parseHexBytes('0x' + 'ab'.repeat(32), 32, 'header')), '0x' + 'ab'.repeat(32));
  assert.throws(() => parseHexBytes('0x' + 'ab'.repeat(31), 32, 'header'), (e: Error) => e instanceof HexError && /header/.test(e.message));
  assert.throws(() => parseHexBytes('0x' + 'zz'.repeat(32), 32, 'header'), HexError);
  assert.equal(parseU64('0xffffffffffffffff'), (1n << 64n) - 1n);
  assert.equal(parseU64('18446744073709551615'), (1n << 64n) - 1n);
  assert.throws(() => parseU64('18446744073709551616'), HexError);
  assert.throws(() => parseU64('-1'), HexError);
});
