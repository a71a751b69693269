// The block log of a run through a pool with the node behind it (--node), from the command line:
// one line per change of a block, each naming it by height and nonce (two blocks at one height
// stay apart); votes out of what the profile needs (mainnet: 2); a vote both the pool and the
// chain report is logged once; and a pool notice that contradicts the chain is logged as a
// contradiction, once, whichever of the two spoke first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bin } from './support/cli-process.js';
import { LOGIN, waitUntil } from './fixtures/net-helpers.js';
import { scriptedPool } from './support/scripted-pool.js';

const HEADER = `0x${'ab'.repeat(32)}`;
const SEED = '0x7e7d8bef9d86983accafa937aed08042391d6f435bc640e50a9c38927de9b299';
const HEIGHT = 940412;
/** Easy for shares and for blocks alike: the WASM backend meets it in a few hundred hashes. */
const EASY = `0x00ff${'ff'.repeat(30)}`;
const VOTERS = ['0a', '0b', '0c'].map((b) => `0x${b.repeat(32)}`);
const GENESIS = `0x${'6e'.repeat(32)}`;

interface Share { nonce: string; mix: string }

/**
 * A pool that accepts the first two shares and answers each with the vote extension's notices:
 * its candidate (2 votes needed), three votes, and an outcome sent twice: the first block
 * "orphaned", the second "confirmed". Every later share is refused.
 */
async function notifyingPool(shares: Share[]) {
  const notice = (method: string, params: object) => ({ jsonrpc: '2.0', method, params });
  const pool = await scriptedPool([HEADER, SEED, EASY, String(HEIGHT)], ({ nonce, header, mix }, write) => {
    if (shares.length >= 2) return false;
    shares.push({ nonce, mix });
    const ref = { headerHash: header, nonce, height: HEIGHT };
    write(notice('sero_blockCandidate', { ...ref, votesNeeded: 2, windowMs: 20_000, reward: '3000000000000000000' }));
    VOTERS.forEach((shareId, i) => write(notice('sero_blockVote', { ...ref, shareId, isPool: true, votes: i + 1 })));
    const outcome = shares.length === 1 ? { status: 'orphaned', votes: 3, reason: 'vote timeout' } : { status: 'confirmed', votes: 3, blockHash: `0x${'99'.repeat(32)}` };
    write(notice('sero_blockOutcome', { ...ref, ...outcome }));
    write(notice('sero_blockOutcome', { ...ref, ...outcome }));
    return true;
  });
  return { uri: `stratum1+tcp://${LOGIN}.rig@127.0.0.1:${pool.port}`, close: pool.close };
}

/** The node behind the pool: its work is the pool's, and its chain holds the first share's block, with the three votes, two blocks deep. */
async function chainNode(shares: Share[]) {
  const answer = (method: string, params: unknown[]): unknown => {
    switch (method) {
      case 'sero_getWork': return [HEADER, SEED, EASY, `0x${HEIGHT.toString(16)}`];
      case 'sero_blockNumber': return `0x${(HEIGHT + 2).toString(16)}`;
      case 'sero_getBlockRewardByNumber': return ['0x29a2241af62c0000', '0x0', '0x0'];
      case 'sero_getBlockByNumber': {
        if (params[0] === '0x0') return { number: '0x0', hash: GENESIS, nonce: '0x0000000000000042', mixHash: `0x${'00'.repeat(32)}`, currentVotes: null };
        if (params[0] !== `0x${HEIGHT.toString(16)}` || shares.length === 0) return null;
        return { number: params[0], hash: `0x${'99'.repeat(32)}`, nonce: shares[0]!.nonce, mixHash: shares[0]!.mix, currentVotes: VOTERS.map((Id) => ({ Id, IsPool: true, Sign: '0x' })) };
      }
      default: return null;
    }
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += String(c)));
    req.on('end', () => {
      const call = JSON.parse(body) as { id: number; method: string; params: unknown[] };
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: call.id, result: answer(call.method, call.params) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('one log line per change of a block, named by height and nonce; votes out of the profile\'s need; a contradiction once', { timeout: 120_000 }, async () => {
  const shares: Share[] = [];
  const pool = await notifyingPool(shares);
  const node = await chainNode(shares);
  const child = spawn(process.execPath, [bin, 'mine', '-P', pool.uri, '--node', node.url, '--node-poll', '1', '--profile', 'mainnet',
    '--dag', 'small', '--backend', 'wasm', '--threads', '1', '--datadir', mkdtempSync(path.join(tmpdir(), 'sero-block-log-'))], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // settled by the chain: one confirmed, the other orphaned
  const settled = () => shares.length === 2 && / confirmed: \+/.test(stderr) && / orphaned \(/.test(stderr);
  try {
    await waitUntil(settled, 90_000, 'both blocks settled by the chain').catch((err: Error) => assert.fail(`${err.message}:\n${stderr}`));
    // more polls of the node and the pool's repeated notices: nothing more to say
    await new Promise((resolve) => setTimeout(resolve, 3000));
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
    await pool.close();
    await node.close();
  }
  const lines = stderr.split('\n').map((l) => l.replace(/^\S+ +/, '')).filter((l) => /\bblock \d{6}/.test(l));
  for (const line of lines) assert.match(line, new RegExp(`block ${HEIGHT} \\(0x[0-9a-f]{16}\\)`), line);
  const [first, second] = shares as [Share, Share];
  const of = (share: Share) => lines.filter((l) => l.includes(`(${share.nonce})`));

  // the first share: the chain holds it with 3 votes; the pool said orphaned before the chain spoke
  const firstLines = of(first).map((l) => l.replace(/^\w+ +/, '').replace(/ \(0x[0-9a-f]{16}\)/, ''));
  assert.equal(firstLines.length, 6, firstLines.join('\n'));
  assert.equal(firstLines[0], `block ${HEIGHT} found: waiting for its share votes (2 needed)`);
  assert.deepEqual(firstLines.filter((l) => / vote /.test(l)), [`block ${HEIGHT}: vote 1/2`, `block ${HEIGHT}: vote 2/2`, `block ${HEIGHT}: vote 3 (2 needed)`]);
  assert.ok(firstLines.includes(`block ${HEIGHT} confirmed: +3 SERO`), firstLines.join('\n'));
  assert.deepEqual(firstLines.filter((l) => /contradict/.test(l)), [`block ${HEIGHT}: the pool says orphaned (vote timeout) but the chain has it confirmed: a contradiction; the chain decides`]);

  // the second share, at the same height: the pool says confirmed, the chain holds the first
  const secondLines = of(second).map((l) => l.replace(/^\w+ +/, '').replace(/ \(0x[0-9a-f]{16}\)/, ''));
  assert.equal(secondLines.length, 6, secondLines.join('\n'));
  assert.ok(secondLines.some((l) => l.startsWith(`block ${HEIGHT} orphaned (block ${HEIGHT} on chain is another`)), secondLines.join('\n'));
  assert.deepEqual(secondLines.filter((l) => /contradict/.test(l)), [`block ${HEIGHT}: the pool says confirmed but the chain has it orphaned: a contradiction; the chain decides`]);
  assert.doesNotMatch(stderr, /the node's chain decides/, 'a pool notice the chain agrees with, or has not judged yet, is no news');
});
