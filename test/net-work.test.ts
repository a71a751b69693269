import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatNonce, formatPaddedHex, formatQuantity, HexError, parseHash32, parseNonce, parseQuantity } from '../src/util/hex.js';
import { LineSplitter } from '../src/net/wire/line-transport.js';
import { decodeOutcomeNotice, decodeVoteNotice, encodeOutcomeNotice, encodeVoteNotice } from '../src/net/wire/vote-extension.js';
import { DuplicateFilter } from '../src/net/server/duplicate-filter.js';
import { WorkBacklog } from '../src/net/server/work-backlog.js';
import { createWorkPackage, formatSubmission, parseJob, parseSubmission, workToWire } from '../src/net/wire/work.js';
import { difficultyToTarget } from '../src/pow/target.js';
import { SEED_EPOCH_31, SHARE_TARGET_200K, hex32, makeWork } from './fixtures/net-helpers.js';

const HEADER = '0x056ce3fc15b9725160f2c2c93931585672d4aa9f597f2fef5d3b4113b0cd4f9a';
const MIX = '0x841587fe347d3cd2495ba2e658b41c9b7cbbf1eb77f6f6c6834b39874814e5e1';

describe('hex codecs', () => {
  test('nonce: 16 digits both ways, strict length', () => {
    assert.equal(parseNonce('0xfec1e9c065c782d6'), 0xfec1e9c065c782d6n);
    assert.equal(formatNonce(0xfec1e9c065c782d6n), '0xfec1e9c065c782d6');
    assert.equal(formatNonce(1n), '0x0000000000000001');
    assert.throws(() => parseNonce('0xfec1e9c065c782d'), /nonce: expected 0x followed by exactly 16 hex digits, got 15 digits/);
    assert.throws(() => parseNonce('fec1e9c065c782d6ab'), /without 0x prefix/);
    assert.throws(() => parseNonce('0xFEC1E9C065C782D6', 'nonce', { lowercaseOnly: true }), /uppercase/);
    assert.throws(() => parseNonce(12), /expected a string/);
    assert.throws(() => formatNonce(1n << 64n), RangeError);
  });

  test('32-byte hashes: exactly 64 digits', () => {
    assert.equal(Buffer.from(parseHash32(HEADER, 'h')).toString('hex'), HEADER.slice(2));
    assert.throws(() => parseHash32(`${HEADER}00`, 'header'), (err: unknown) => err instanceof HexError && err.field === 'header' && /66 digits/.test(err.message));
    assert.throws(() => parseHash32('0x' + 'g'.repeat(64), 'header'), /non-hex/);
  });

  test('quantities: compact out, strict in (gero rejects leading zeros)', () => {
    assert.equal(formatQuantity(30_000_000n), '0x1c9c380');
    assert.equal(formatQuantity(0), '0x0');
    assert.equal(parseQuantity('0x1c9c380', 'rate'), 30_000_000n);
    assert.equal(parseQuantity('0x0', 'rate'), 0n);
    assert.throws(() => parseQuantity('0x01c9c380', 'rate'), /leading zero digits/);
    assert.throws(() => parseQuantity('0x', 'rate'), /1 to 64 hex digits/);
    assert.equal(formatPaddedHex(30_000_000n, 32), '0x00000000000000000000000001c9c380');
  });
});

describe('work packages', () => {
  test('wire form: header, seed, 64-digit target, decimal height', () => {
    const work = makeWork(940410, 0x11);
    assert.deepEqual(workToWire(work), [`0xa0${'11'.repeat(31)}`, SEED_EPOCH_31, SHARE_TARGET_200K, '940410']);
    assert.equal(difficultyToTarget(1_000_000n), BigInt('0x000010c6f7a0b5ed8d36b4c7f34938583621fafc8b0079a2834d26fa3fcc9ea9'));
    // D = 1 gives 2^256, which the 32-byte job boundary cannot carry
    assert.throws(() => createWorkPackage({ headerHash: new Uint8Array(32), seedHash: new Uint8Array(32), target: difficultyToTarget(1n), height: 1 }), /difficulty must be >= 2/);
    assert.throws(() => createWorkPackage({ headerHash: new Uint8Array(31), seedHash: new Uint8Array(32), target: 1n, height: 1 }), /32 bytes, got 31/);
  });

  test('parseJob: decimal or hex height; short target padded; header kept as received', () => {
    const upper = `0x${HEADER.slice(2).toUpperCase()}`;
    const decimal = parseJob([upper, SEED_EPOCH_31, '0x53e2d6238da3c21187e7c06e19b90ea9e6eeb702602c9081c2e33eff1950', '7981235']);
    assert.ok(decimal.ok);
    assert.equal(decimal.work.height, 7981235);
    assert.equal(decimal.work.jobId, upper);
    assert.equal(decimal.work.target, BigInt(SHARE_TARGET_200K));
    const hexHeight = parseJob([HEADER, SEED_EPOCH_31, SHARE_TARGET_200K, '0x79c8b3']);
    assert.ok(hexHeight.ok);
    assert.equal(hexHeight.work.height, 0x79c8b3);
  });

  test('parseJob refuses jobs without height, below 940410, or with bad hex', () => {
    const reasons = (values: unknown[]): string => {
      const result = parseJob(values);
      assert.equal(result.ok, false);
      return result.ok ? '' : result.reason;
    };
    assert.match(reasons([HEADER, SEED_EPOCH_31, SHARE_TARGET_200K]), /no block height/);
    assert.match(reasons([HEADER, SEED_EPOCH_31, SHARE_TARGET_200K, '']), /no block height/);
    assert.match(reasons([HEADER, SEED_EPOCH_31, SHARE_TARGET_200K, '940409']), /940409 is below the ProgPoW activation height 940410/);
    assert.match(reasons([HEADER, SEED_EPOCH_31, SHARE_TARGET_200K, '0x9660181']), /out of range/);
    assert.match(reasons([HEADER, SEED_EPOCH_31, SHARE_TARGET_200K, '12ab']), /decimal or 0x hex/);
    assert.match(reasons([HEADER.slice(0, 60), SEED_EPOCH_31, SHARE_TARGET_200K, '940410']), /job header hash: .*58 digits/);
    assert.match(reasons([HEADER, '0x00', SHARE_TARGET_200K, '940410']), /job seed hash/);
    assert.match(reasons([HEADER, SEED_EPOCH_31, `0x${'0'.repeat(65)}`, '940410']), /job target/);
    assert.match(reasons([HEADER]), /1 elements/);
  });

  test('submissions: strict server parse, client format echoes the job id', () => {
    const parsed = parseSubmission(['0xfec1e9c065c782d6', HEADER, MIX], { lowercaseOnly: true });
    assert.equal(parsed.nonce, 0xfec1e9c065c782d6n);
    assert.equal(parsed.headerHex, HEADER);
    assert.throws(() => parseSubmission(['0xfec1e9c065c782d6', HEADER], { lowercaseOnly: true }), /got 2 values/);
    const work = { ...makeWork(940410, 1), jobId: `0x${HEADER.slice(2).toUpperCase()}` };
    assert.deepEqual(formatSubmission(work, 5n, Buffer.from(MIX.slice(2), 'hex')), ['0x0000000000000005', work.jobId, MIX]);
  });

  test('backlog keeps the current height and the two before it', () => {
    const backlog = new WorkBacklog();
    for (const h of [100, 101, 101, 102]) backlog.add(makeWork(h, h % 256));
    assert.ok(backlog.find(makeWork(100, 100).jobId));
    backlog.add(makeWork(103, 103));
    assert.equal(backlog.find(makeWork(100, 100).jobId), undefined);
    assert.ok(backlog.find(makeWork(101, 101).jobId));
  });

  test('duplicate filter: claim, release, expiry after 8 heights', () => {
    const filter = new DuplicateFilter();
    assert.equal(filter.claim('a', 10), true);
    assert.equal(filter.claim('a', 10), false);
    filter.release('a', 10);
    assert.equal(filter.claim('a', 10), true);
    filter.claim('b', 18);
    assert.equal(filter.has('a'), false);
    assert.equal(filter.has('b'), true);
  });
});

describe('line splitter', () => {
  const run = (max: number, chunks: string[]): { lines: string[]; oversize: number[] } => {
    const lines: string[] = [];
    const oversize: number[] = [];
    const splitter = new LineSplitter(max, (l) => lines.push(l), (n) => oversize.push(n));
    for (const chunk of chunks) splitter.push(Buffer.from(chunk));
    return { lines, oversize };
  };

  test('joins chunks, trims \\r\\n, skips empty lines', () => {
    assert.deepEqual(run(64, ['{"a"', ':1}\r\n\n  \n{"b":2}', '\n']).lines, ['{"a":1}', '{"b":2}']);
  });

  test('oversized line is reported once and skipped up to its newline', () => {
    const result = run(10, ['123456', '7890abc', 'def\nok\n']);
    assert.deepEqual(result.lines, ['ok']);
    assert.equal(result.oversize.length, 1);
  });

  test('the limit counts the newline: 9 bytes + \\n pass at 10, 10 + \\n do not', () => {
    assert.deepEqual(run(10, ['123456789\n']).lines, ['123456789']);
    assert.deepEqual(run(10, ['1234567890\n']), { lines: [], oversize: [11] });
  });

  test('a multi-byte character split across chunks survives', () => {
    const bytes = Buffer.from('{"w":"é"}\n');
    const lines: string[] = [];
    const splitter = new LineSplitter(64, (l) => lines.push(l), () => {});
    splitter.push(bytes.subarray(0, 7));
    splitter.push(bytes.subarray(7));
    assert.deepEqual(lines, ['{"w":"é"}']);
  });
});

describe('vote extension messages', () => {
  test('encode and decode are inverse; bad fields are named', () => {
    const ref = { headerHash: Buffer.from(HEADER.slice(2), 'hex'), nonce: 0xabn, height: 940411 };
    const vote = { ...ref, shareId: new Uint8Array(32).fill(7), isPool: false, votes: 2 };
    const line = encodeVoteNotice(vote);
    assert.deepEqual(JSON.parse(line), {
      jsonrpc: '2.0',
      method: 'sero_blockVote',
      params: { headerHash: HEADER, nonce: '0x00000000000000ab', height: 940411, shareId: hex32(7), isPool: false, votes: 2 },
    });
    assert.deepEqual(decodeVoteNotice(JSON.parse(line).params), { ...vote, headerHash: new Uint8Array(ref.headerHash) });
    const outcome = JSON.parse(encodeOutcomeNotice({ ...ref, status: 'orphaned', votes: 1, reason: 'vote timeout' }));
    assert.deepEqual(outcome.params, { headerHash: HEADER, nonce: '0x00000000000000ab', height: 940411, status: 'orphaned', votes: 1, reason: 'vote timeout' });
    assert.equal(decodeOutcomeNotice(outcome.params).reason, 'vote timeout');
    assert.throws(() => decodeOutcomeNotice({ ...outcome.params, status: 'lost' }), /status: expected "confirmed" or "orphaned"/);
    assert.throws(() => decodeVoteNotice({ ...JSON.parse(line).params, shareId: '0x12' }), /shareId/);
    assert.throws(() => decodeVoteNotice({ ...JSON.parse(line).params, votes: -1 }), /votes/);
  });
});
