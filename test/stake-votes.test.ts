import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sero } from '../src/util/sero-amount.js';
import { StakeChain } from '../src/devnet/stake/stake-chain.js';
import { keccak256Hex, stakeHash } from '../src/devnet/stake/hashes.js';
import { VoteCollector } from '../src/devnet/stake/lottery.js';
import { createProfile } from '../src/chain/profile.js';
import { signMessage, verifySignature, voteKeyFromSecret } from '../src/devnet/stake/vote-keys.js';
import { signVote, verifyVoteSignature } from '../src/devnet/stake/votes.js';
import { signEd25519 } from '../src/devnet/stake/ed25519.js';
import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import { hexToBytes } from '../src/util/hex.js';

// RFC 8032 section 7.1, test 1.
const RFC_SECRET = '0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const RFC_PUBLIC = '0xd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const RFC_SIGNATURE =
  '0xe5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

test('vote keys are standard Ed25519 (RFC 8032 test 1); vote signatures are randomized, as superzk\'s are', () => {
  const pair = voteKeyFromSecret(RFC_SECRET);
  assert.equal(pair.publicKey, RFC_PUBLIC);
  // without fresh randomness the signer is RFC 8032's
  assert.equal('0x' + Buffer.from(signEd25519(hexToBytes(RFC_SECRET), hexToBytes(RFC_PUBLIC), new Uint8Array(), new Uint8Array())).toString('hex'), RFC_SIGNATURE);
  const [first, second] = [signMessage(RFC_SECRET, new Uint8Array()), signMessage(RFC_SECRET, new Uint8Array())];
  assert.notEqual(first, second, 'two signatures of one message differ');
  for (const signature of [first, second]) assert.equal(verifySignature(RFC_PUBLIC, new Uint8Array(), signature), true);
  assert.equal(verifySignature(RFC_PUBLIC, new Uint8Array(), RFC_SIGNATURE), true);
  assert.equal(verifySignature(RFC_PUBLIC, Uint8Array.of(0), RFC_SIGNATURE), false);
  assert.equal(verifySignature(RFC_PUBLIC, new Uint8Array(), RFC_SIGNATURE.replace(/.$/, 'c')), false);
  assert.equal(verifySignature('0x1234', new Uint8Array(), RFC_SIGNATURE), false);
});

test('the signer without randomness equals node:crypto\'s Ed25519 for any key and message', () => {
  const pkcs8 = Buffer.from('302e020100300506032b657004220420', 'hex');
  for (let i = 0; i < 20; i++) {
    const seed = randomBytes(32);
    const message = randomBytes(i * 7);
    const pair = voteKeyFromSecret(seed);
    const expected = sign(null, message, createPrivateKey({ key: Buffer.concat([pkcs8, seed]), format: 'der', type: 'pkcs8' }));
    assert.deepEqual(Buffer.from(signEd25519(seed, hexToBytes(pair.publicKey), message, new Uint8Array())), expected);
  }
});

test('a vote signs StakeHash(posHash, parent posHash, isPool)', () => {
  const pair = voteKeyFromSecret(new Uint8Array(32).fill(7));
  const posHash = keccak256Hex('a');
  const parent = keccak256Hex('b');
  const vote = signVote(pair.secret, { height: 5, posHash, ticketIndex: 1, shareId: keccak256Hex('s'), isPool: true }, parent);
  assert.equal(verifySignature(pair.publicKey, stakeHash(posHash, parent, true), vote.signature), true);
  assert.equal(verifyVoteSignature(vote, parent, pair.publicKey), true);
  assert.equal(verifyVoteSignature({ ...vote, isPool: false }, parent, pair.publicKey), false);
  assert.equal(verifyVoteSignature(vote, posHash, pair.publicKey), false);
});

test('the collector fills each drawn ticket once with a verified vote, within the window', () => {
  const profile = createProfile('seed', { voteWindowMs: 10_000 });
  const chain = StakeChain.create(profile, { startHeight: 1 });
  const holder = voteKeyFromSecret(new Uint8Array(32).fill(3));
  chain.applyBlock({
    height: 1,
    posHash: keccak256Hex('1'),
    miner: 'm',
    transactions: [{ type: 'buy-share', from: 'h', value: sero(30), voteKey: holder.publicKey }],
  });
  const lottery = chain.openLottery(keccak256Hex('2'));
  const votes = lottery.tickets.map((t) => {
    const unsigned = { height: 2, posHash: lottery.posHash, ticketIndex: t.ticketIndex, shareId: t.shareId, isPool: false };
    return signVote(holder.secret, unsigned, lottery.parentPosHash);
  });
  // One share holds every ticket: it signs one message three times, and (randomized, as go-sero's
  // superzk signatures are) gets three signatures; the slots are told apart by ticket index.
  assert.equal(new Set(votes.map((v) => v.signature)).size, 3);
  const collector = new VoteCollector({ profile, lottery, openedAtMs: 1_000, verify: (vote) => chain.verifyVote(vote) });
  assert.deepEqual(collector.offer({ ...votes[0]!, signature: flipLastBit(votes[0]!.signature) }, 1_100), {
    accepted: false,
    reason: 'bad signature',
  });
  assert.deepEqual(collector.offer(votes[0]!, 1_200), { accepted: true });
  assert.deepEqual(collector.offer(votes[0]!, 1_300), { accepted: false, reason: 'ticket already voted' });
  assert.deepEqual(collector.offer(votes[1]!, 1_400), { accepted: true });
  assert.equal(collector.status(1_500), 'pending');
  const late = new VoteCollector({ profile, lottery, openedAtMs: 1_000, verify: (vote) => chain.verifyVote(vote) });
  assert.deepEqual(late.offer(votes[2]!, 11_001), { accepted: false, reason: 'vote window closed' });
  assert.equal(late.status(11_001), 'orphaned');
  // Exactly at the end of the window still counts.
  assert.deepEqual(collector.offer(votes[2]!, 11_000), { accepted: true });
  assert.equal(collector.status(11_000), 'confirmed');
  assert.deepEqual(collector.votes(), votes);
  chain.applyBlock({ height: 2, posHash: lottery.posHash, miner: 'm', votes: collector.votes() });
  assert.equal(chain.ledger.accountSummary('h').credited, sero(18));
});

/** The signature with its last bit flipped: always a different, invalid one (randomized signatures may end in any byte). */
function flipLastBit(hex: string): string {
  return hex.slice(0, -1) + (parseInt(hex.slice(-1), 16) ^ 1).toString(16);
}
