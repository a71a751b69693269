// The ledger as a new user meets it, from the command line on a fresh HOME: the quick start run
// twice keeps the embedded devnet's blocks under the devnet's own directory, as that devnet's
// chain; a real pool's blocks (with the node behind it) stay apart in ~/.sero-miner; records of
// today's journals, which carry no chain, are an unknown chain summed with nothing; `ledger`
// reads mine's default datadir and says "pending" as the JSON does; a damaged journal exits 2;
// and a datadir the ledger cannot be written in stops `mine` with exit 2 before any mining.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDevnet } from '../src/devnet/index.js';
import { silentLogger } from '../src/util/log.js';
import { bin } from './support/cli-process.js';
import { rpc, startTestDevnet } from './support/devnet.js';
import { LOGIN } from './fixtures/net-helpers.js';

interface Run { code: number | null; stdout: string; stderr: string; ms: number }

/** `sero-miner <args>` as a user on `home` runs it, to its end. */
function run(args: string[], home: string, timeoutMs = 120_000): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: home } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += String(c)));
  child.stderr.on('data', (c) => (stderr += String(c)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`sero-miner ${args.join(' ')} still running after ${timeoutMs} ms: ${stderr}`)); }, timeoutMs);
    child.once('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr, ms: Date.now() - started }); });
  });
}

const freshHome = () => mkdtempSync(path.join(tmpdir(), 'sero-home-'));
const journal = (file: string): Array<Record<string, any>> =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l)) : [];
const genesisOf = async (url: string): Promise<string> => (await rpc(url, 'sero_getBlockByNumber', ['0x0', false])).hash;

/** A block found and confirmed by yesterday's miner: its records carry neither pool nor chain. */
const LEGACY = [
  { t: 'pending', height: 940450, nonce: '0x00000000000000aa', headerHash: `0x${'11'.repeat(32)}`, mixDigest: `0x${'22'.repeat(32)}`, expectedCredit: '45000000000000000000', votesNeeded: 3, at: 1 },
  { t: 'confirmed', height: 940450, nonce: '0x00000000000000aa', credit: '45000000000000000000', at: 2 },
];

test('the quick start twice, then `ledger`: the devnet\'s blocks under its own directory as its own chain, a real pool\'s apart, old records an unknown chain', { timeout: 600_000 }, async () => {
  const home = freshHome();
  const datadir = path.join(home, '.sero-miner');
  mkdirSync(datadir);
  writeFileSync(path.join(datadir, 'ledger.jsonl'), LEGACY.map((r) => JSON.stringify(r)).join('\n') + '\n');

  const quickStart = ['mine', '--duration', '45', '--backend', 'wasm', '--threads', '1'];
  const runs = [await run(quickStart, home), await run(quickStart, home)];
  for (const r of runs) assert.equal(r.code, 0, r.stderr);

  // the embedded devnet's blocks: under <datadir>/devnet, each on the chain that devnet's store holds
  const devnetBlocks = journal(path.join(datadir, 'devnet', 'ledger.jsonl')).filter((r) => r.t === 'pending');
  assert.ok(devnetBlocks.length >= 1, `no block found in two quick starts:\n${runs.map((r) => r.stderr).join('\n')}`);
  const devnet = await startDevnet({ dag: 'small', datadir: path.join(datadir, 'devnet'), stratumTlsPort: null, stratumWsPort: null, logger: silentLogger });
  const devnetChain = await genesisOf(devnet.endpoints.rpc).finally(() => devnet.close());
  for (const b of devnetBlocks) {
    assert.equal(b.chain, devnetChain, 'recorded on the devnet\'s own chain, which its datadir keeps');
    assert.equal(b.profile, 'seed');
    assert.match(b.pool, /^stratum1\+tcp:\/\/devnet-miner\.rig0@127\.0\.0\.1:\d+$/);
  }
  assert.deepEqual(journal(path.join(datadir, 'ledger.jsonl')), LEGACY, 'the devnet wrote nothing into the real pools\' ledger');

  // a real pool with its node behind it: another chain, in <datadir>/ledger.jsonl; its password is never recorded
  const pool = await startTestDevnet({ initialDifficulty: 40_000n, minimumDifficulty: 20_000n, voterOnlineProbability: 1, voteLatencyMs: [20, 200] });
  let poolChain: string;
  try {
    poolChain = await genesisOf(pool.endpoints.rpc);
    assert.notEqual(poolChain, devnetChain, 'two devnets are two chains');
    const real = await run(['mine', '-P', pool.endpoints.stratum.replace('://', `://${LOGIN}.real:s3cret@`), '--node', pool.endpoints.rpc, '--node-poll', '1',
      '--dag', 'small', '--backend', 'wasm', '--threads', '1', '--duration', '25'], home);
    assert.equal(real.code, 0, real.stderr);
    runs.push(real);
  } finally {
    await pool.close();
  }
  const poolBlocks = journal(path.join(datadir, 'ledger.jsonl')).filter((r) => r.t === 'pending' && r.chain !== undefined);
  assert.ok(poolBlocks.length >= 1, runs[2]!.stderr);
  for (const b of poolBlocks) {
    assert.equal(b.chain, poolChain);
    assert.match(b.pool, new RegExp(`^stratum1\\+tcp://${LOGIN}\\.real@127\\.0\\.0\\.1:\\d+$`));
    assert.doesNotMatch(JSON.stringify(b), /s3cret/);
  }

  // `ledger` with mine's default datadir: each chain apart, with its own totals
  const json = await run(['ledger', '--json'], home);
  assert.equal(json.code, 0, json.stderr);
  const chains = JSON.parse(json.stdout).chains as Array<Record<string, any>>;
  assert.equal(chains.length, 3, json.stdout);
  const devnetGroup = chains.find((c) => c.chain === devnetChain)!;
  const poolGroup = chains.find((c) => c.chain === poolChain)!;
  const unknown = chains.find((c) => c.chain === null)!;
  assert.ok(devnetGroup && poolGroup && unknown, json.stdout);
  assert.equal(devnetGroup.ledger, path.join(datadir, 'devnet', 'ledger.jsonl'));
  assert.equal(poolGroup.ledger, path.join(datadir, 'ledger.jsonl'));
  assert.deepEqual(unknown.totals, { pending: 0, confirmed: 1, orphaned: 0, credit: '45' }, 'summed with nothing');
  for (const group of chains) {
    const blocks = group.blocks as Array<Record<string, any>>;
    const count = (status: string) => blocks.filter((b) => b.status === status).length;
    assert.deepEqual([group.totals.pending, group.totals.confirmed, group.totals.orphaned], [count('pending'), count('confirmed'), count('orphaned')]);
    assert.equal(Number(group.totals.credit), blocks.reduce((sum, b) => sum + Number(b.credit), 0), 'a chain\'s credit is its own blocks\'');
  }
  assert.equal(devnetGroup.blocks.length, devnetBlocks.length);
  assert.equal(poolGroup.blocks.length, poolBlocks.length);

  const text = await run(['ledger'], home);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /unknown chain/);
  assert.ok(text.stdout.includes(devnetChain) && text.stdout.includes(poolChain), text.stdout);
  assert.equal(text.stdout.match(/^\s*found \d+: \d+ pending, \d+ confirmed, \d+ orphaned; credited [\d.]+ SERO$/gm)?.length, 3, text.stdout);
  assert.doesNotMatch(text.stdout, /unconfirmed/, 'one word for an unsettled block: pending');
  for (const r of runs) {
    assert.doesNotMatch(r.stderr, /unconfirmed/);
    assert.match(r.stdout, /blocks \d+ confirmed, \d+ orphaned, \d+ pending/);
  }

  // every block line of the runs names its block by height and nonce, votes out of the seed rules' 3
  for (const r of runs) {
    const blockLines = r.stderr.split('\n').filter((l) => /\bblock \d{6}/.test(l));
    for (const line of blockLines) assert.match(line, /block \d{6} \(0x[0-9a-f]{16}\)/, line);
    const votes = blockLines.filter((l) => / vote /.test(l)).map((l) => l.replace(/^\S+ /, ''));
    for (const line of votes) assert.match(line, /vote [1-3]\/3$/, line);
    assert.equal(new Set(votes).size, votes.length, `a vote logged twice:\n${votes.join('\n')}`);
  }
});

test('mine with a datadir that is a file exits 2 naming the path, before any mining', { timeout: 60_000 }, async () => {
  const devnet = await startTestDevnet({ initialDifficulty: 2000n });
  const file = path.join(freshHome(), 'not-a-directory');
  writeFileSync(file, 'a file, not a directory\n');
  try {
    const r = await run(['mine', '-P', devnet.endpoints.stratum.replace('://', `://${LOGIN}.f@`), '--datadir', file,
      '--dag', 'small', '--backend', 'wasm', '--threads', '1', '--duration', '30'], freshHome(), 40_000);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(r.stderr.includes(path.join(file, 'ledger.jsonl')), r.stderr);
    assert.doesNotMatch(r.stderr, /logged in|share 0x|DAG|malformed/, 'nothing was mined');
    assert.ok(r.ms < 20_000, `it took ${r.ms} ms to give up`);
  } finally {
    await devnet.close();
  }
});

test('`ledger` reads mine\'s default datadir; a damaged journal exits 2 from ledger and mine alike', { timeout: 60_000 }, async () => {
  const nothing = await run(['ledger'], freshHome());
  assert.equal(nothing.code, 0, nothing.stderr);
  assert.match(nothing.stdout, /no blocks found yet/);

  const home = freshHome();
  const datadir = path.join(home, '.sero-miner');
  mkdirSync(datadir);
  const file = path.join(datadir, 'ledger.jsonl');
  writeFileSync(file, JSON.stringify(LEGACY[0]) + '\n');
  const pending = await run(['ledger'], home);
  assert.equal(pending.code, 0, pending.stderr);
  assert.match(pending.stdout, /940450 +0x00000000000000aa +pending/);
  assert.match(pending.stdout, /found 1: 1 pending, 0 confirmed, 0 orphaned; credited 0 SERO/);

  writeFileSync(file, `${JSON.stringify(LEGACY[0])}\n{"t":"vote", garbage\n${JSON.stringify(LEGACY[1])}\n`);
  for (const args of [['ledger'], ['ledger', '--json'], ['mine', '-P', `stratum1+tcp://${LOGIN}@127.0.0.1:1`, '--backend', 'wasm', '--threads', '1', '--duration', '30']]) {
    const r = await run(args, home, 30_000);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.includes(`${file}:2: corrupt journal record`), r.stderr);
  }
  const missing = await run(['ledger', '--datadir', path.join(home, 'no-such-dir')], home);
  assert.equal(missing.code, 2, missing.stderr);
  assert.match(missing.stderr, /no-such-dir/);
  const notADirectory = await run(['ledger', '--datadir', file], home);
  assert.equal(notADirectory.code, 2, notADirectory.stderr);
  assert.ok(notADirectory.stderr.includes(`datadir ${file} is not a directory`), notADirectory.stderr);
});
