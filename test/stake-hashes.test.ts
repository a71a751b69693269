import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPos, keccak256Hex, stakeHash } from '../src/devnet/stake/hashes.js';
import { bytesTo0x } from '../src/util/hex.js';

// stake-mainnet.md section 8.
const MIX = '0xae8df219bf308945ea5dfc66cefa89433ee04132e9e17361a03ae901cf9a547c';
const HASH_POS = '0xab2094f2f8c2e4cd221760173a1853356897134dd172efd301b8db86863ea367';
const PARENT_POS = '0xff483e972a04a9a62bb4b7d04ae403c615604e4090521ecc5bb7af67f71be09c';

test('vector inputs are keccak256 of their labels', () => {
  assert.equal(keccak256Hex('mix'), MIX);
  assert.equal(keccak256Hex('parent'), PARENT_POS);
  assert.equal(keccak256Hex('seed2'), '0x91a04aff9c722ba12813fc68312d99fd0f0f9e41593fa36b764b6e1d1bf4b5c9');
});

test('HashPos = keccak256(mixDigest ‖ nonce)', () => {
  assert.equal(hashPos(MIX, '0x0000000000000001'), HASH_POS);
  assert.equal(hashPos(MIX, 1n), HASH_POS);
  assert.notEqual(hashPos(MIX, 2n), HASH_POS);
});

test('StakeHash appends 0x01 only for pool votes', () => {
  assert.equal(bytesTo0x(stakeHash(HASH_POS, PARENT_POS, false)), '0x673aa2ee9bf5b084eb3db6d010cd53e0026fcf85dbb071b56a524dfa5f75e67a');
  assert.equal(bytesTo0x(stakeHash(HASH_POS, PARENT_POS, true)), '0x0493b5dd60253d305b6ffc737ce81b805d2b7677dc570e14115e2cce68c0bdf3');
});
