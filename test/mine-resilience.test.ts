// The miner under failure: a pool dying and coming back, a hostile pool, a crash mid-block.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { startDevnet, type Devnet } from '../src/devnet/index.js';
import { createWasmBackend } from '../src/backends/wasm/index.js';
import { startMiningSession } from '../src/miner/session.js';
import { Ledger } from '../src/miner/reward-ledger.js';
import { parsePoolUri } from '../src/net/wire/uri.js';
import type { LogLevel } from '../src/util/log.js';
import { LOGIN, waitUntil } from './fixtures/net-helpers.js';
import { repoRoot } from './support/vectors.js';
import { rpc, startTestDevnet, waitFor } from './support/devnet.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'sero-mine-'));
const backend = createWasmBackend({ threads: 1 });
after(() => backend.close());

const devnetAt = (stratumPort = 0) => startDevnet({
  dag: 'small', initialDifficulty: 2000n, stratumPort, stratumTlsPort: null, stratumWsPort: null, logger: () => {},
});
const uriOf = (d: Devnet, worker: string) => parsePoolUri(d.endpoints.stratum.replace('://', `://devnet-miner.${worker}@`));
const portOf = (d: Devnet) => Number(new URL(d.endpoints.stratum).port);

test('the pool dies mid-run: the miner fails over, and returns when the primary is back', async () => {
  let primary = await devnetAt();
  const secondary = await devnetAt();
  const primaryPort = portOf(primary);
  const switches: string[] = [];
  const s = startMiningSession({
    pools: [uriOf(primary, 'a'), uriOf(secondary, 'b')], backends: [backend], dagMode: 'small', datadir: tmp(), profile: 'seed',
    logger: () => {}, batchMs: 200,
    poolOptions: { retriesPerPool: 1, backoff: { initialMs: 100, maxMs: 500, factor: 2 }, primaryRetryMs: 500 },
  });
  s.pools.on('switched', (from, to) => { if (from) switches.push(to.port === primaryPort ? 'primary' : 'secondary'); });
  const acceptedOn = new Map<string, number>();
  s.rig.on('share', (r) => {
    if (r.status !== 'accepted') return;
    const where = s.pools.activePool?.port === primaryPort ? 'primary' : 'secondary';
    acceptedOn.set(where, (acceptedOn.get(where) ?? 0) + 1);
  });
  try {
    await waitUntil(() => (acceptedOn.get('primary') ?? 0) > 0, 60_000, 'a share on the primary');
    await primary.close();
    await waitUntil(() => (acceptedOn.get('secondary') ?? 0) > 0, 60_000, 'a share on the failover pool');
    const beforeReturn = acceptedOn.get('primary')!;
    primary = await devnetAt(primaryPort);
    await waitUntil(() => acceptedOn.get('primary')! > beforeReturn, 60_000, 'a share on the primary again');
  } finally {
    await s.stop();
    await primary.close();
    await secondary.close();
  }
  assert.deepEqual(switches.slice(0, 2), ['secondary', 'primary']);
});

test('a hostile pool (garbage, oversized lines, bad hex, no height) is logged and survived', async () => {
  const job = (fields: unknown[]) => JSON.stringify({ id: 0, jsonrpc: '2.0', result: fields }) + '\n';
  const h64 = '0x' + 'ab'.repeat(32);
  const hostile = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => {
      socket.write('{"id":1,"jsonrpc":"2.0","result":true}\n');
      socket.write('this is not json\n');
      socket.write('{"id":0,"result":' + '9'.repeat(40_000) + '}\n');
      socket.write(job([h64, h64, '0x' + 'ff'.repeat(8)]));
      socket.write(job(['0x1234', h64, h64, '940500']));
      socket.write(job([h64, h64, h64, '12']));
      setTimeout(() => socket.destroy(), 300);
    });
  });
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  const hostilePort = (hostile.address() as net.AddressInfo).port;
  const devnet = await devnetAt();
  const lines: string[] = [];
  const s = startMiningSession({
    pools: [parsePoolUri(`stratum1+tcp://x.y@127.0.0.1:${hostilePort}`), uriOf(devnet, 'c')],
    backends: [backend], dagMode: 'small', datadir: tmp(), profile: 'seed', batchMs: 200,
    logger: (level: LogLevel, m: string) => lines.push(`${level} ${m}`),
    poolOptions: { retriesPerPool: 1, backoff: { initialMs: 100, maxMs: 300, factor: 2 }, primaryRetryMs: 0 },
  });
  try {
    await waitUntil(() => s.rig.shares.accepted > 0, 60_000, 'a share accepted by the good pool');
  } finally {
    await s.stop();
    await devnet.close();
    hostile.close();
  }
  const log = lines.join('\n');
  assert.match(log, /not json|malformed|parse/i);
  assert.match(log, /no block height/);
  assert.match(log, /header hash/);
  assert.match(log, /below the ProgPoW activation height|out of range/);
});

/** Journal records of a data directory, in order. */
const journalOf = (datadir: string): Array<Record<string, any>> =>
  existsSync(path.join(datadir, 'ledger.jsonl')) ? readFileSync(path.join(datadir, 'ledger.jsonl'), 'utf8').split('\n').filter((l) => l.startsWith('{') && l.endsWith('}')).map((l) => JSON.parse(l)) : [];
const bin = path.join(repoRoot, 'bin/sero-miner.js');
const plainPool = (stratumPort = 0) => startTestDevnet({
  initialDifficulty: 2000n, minimumDifficulty: 1000n, voteNotices: false, voterOnlineProbability: 1, voteLatencyMs: [20, 80], voteWindowMs: 2000, stratumPort,
});

test('kill -9 between the chain commit and the journal record, restart after the vote window: confirmed, not orphaned', async () => {
  const devnet = await plainPool();
  const url = devnet.endpoints.rpc;
  const datadir = tmp();
  // --node-poll 3600: the first run learns of the block (it judges its own share) but never hears it was confirmed
  const first = spawn(process.execPath, [bin, 'mine', '-P', devnet.endpoints.stratum.replace('://', `://${LOGIN}.k9@`), '--node', url, '--node-poll', '3600',
    '--dag', 'small', '--backend', 'wasm', '--threads', '1', '--datadir', datadir], { stdio: 'ignore' });
  let onChain: { height: number; nonce: string } | undefined;
  try {
    onChain = await waitFor(async () => {
      for (const r of journalOf(datadir).filter((r) => r.t === 'pending')) {
        const block = await rpc(url, 'sero_getBlockByNumber', [`0x${r.height.toString(16)}`, false]);
        if (block?.nonce === r.nonce) return { height: r.height as number, nonce: r.nonce as string };
      }
      return undefined;
    }, 'a block of the miner committed on chain', 90_000);
  } finally {
    first.kill('SIGKILL');
    await new Promise((resolve) => first.on('exit', resolve));
  }
  try {
    assert.equal(journalOf(datadir).some((r) => r.t === 'confirmed'), false, 'the crash came before the confirmed record');
    const before = new Ledger(datadir);
    assert.equal(before.get(onChain.height, onChain.nonce)?.status, 'pending');
    before.close();
    // Ten minutes later, as far as the restarted miner's clock goes: far past the 2 s vote window.
    const s = startMiningSession({
      pools: [uriOf(devnet, 'k9')], backends: [backend], dagMode: 'small', datadir, profile: 'seed', logger: () => {}, batchMs: 200,
      nodeUrl: url, nodePollMs: 200, now: () => Date.now() + 600_000,
    });
    try {
      await waitUntil(() => s.ledger.get(onChain!.height, onChain!.nonce)?.status !== 'pending', 30_000, 'the restarted miner to settle the block');
    } finally {
      await s.stop();
    }
    const settled = s.ledger.get(onChain.height, onChain.nonce)!;
    assert.equal(settled.status, 'confirmed', `on chain, yet ${settled.status} (${settled.reason})`);
    assert.equal(settled.credit, 45n * 10n ** 18n);
  } finally {
    await devnet.close();
  }
});

test('a torn last record: one warning naming it, and the block is confirmed again from the node', async () => {
  const devnet = await plainPool();
  const datadir = tmp();
  const session = (logger: (level: LogLevel, m: string) => void) => startMiningSession({
    pools: [uriOf(devnet, 't')], backends: [backend], dagMode: 'small', datadir, profile: 'seed', logger, batchMs: 200, nodeUrl: devnet.endpoints.rpc, nodePollMs: 200,
  });
  try {
    const s = session(() => {});
    await waitUntil(() => s.ledger.totals().confirmed >= 1, 90_000, 'a confirmed block').finally(() => s.stop());
    // A crash in the middle of writing a block's confirmed record, with nothing after it.
    const file = path.join(datadir, 'ledger.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
    const last = lines.map((l) => l.includes('"t":"confirmed"')).lastIndexOf(true);
    const torn = JSON.parse(lines[last]!);
    writeFileSync(file, [...lines.slice(0, last), lines[last]!.slice(0, 60)].join('\n'));
    const creditBefore = s.ledger.totals().credit;

    const { stdout, stderr } = await run(['ledger', '--datadir', datadir, '--json']);
    assert.equal(JSON.parse(stdout).chains[0].totals.credit, String(creditBefore / 10n ** 18n - 45n), 'the torn confirmation is not counted');
    assert.match(stderr, new RegExp(`ledger\\.jsonl:${last + 1}: dropped a torn "confirmed" record of block ${torn.height} \\(${torn.nonce}\\)`));

    const warnings: string[] = [];
    const again = session((level, m) => { if (level === 'warn') warnings.push(m); });
    await waitUntil(() => again.ledger.get(torn.height, torn.nonce)?.status === 'confirmed', 30_000, 'the torn block confirmed again').finally(() => again.stop());
    assert.equal(warnings.filter((w) => w.includes('torn')).length, 1, warnings.join('\n'));
    assert.match(warnings.find((w) => w.includes('torn'))!, /block \d+ \(0x[0-9a-f]{16}\).*pending again and is resolved from the node/);
    assert.equal(new Ledger(datadir).totals().credit, creditBefore);
  } finally {
    await devnet.close();
  }
});

test('a corrupt journal line stops mine and ledger with an error naming file and line, without hanging', async () => {
  const datadir = tmp();
  const good = JSON.stringify({ t: 'pending', height: 940500, nonce: '0x00000000000000aa', headerHash: `0x${'11'.repeat(32)}`, mixDigest: `0x${'22'.repeat(32)}`, expectedCredit: '45000000000000000000', votesNeeded: 3, at: 1 });
  writeFileSync(path.join(datadir, 'ledger.jsonl'), `${good}\n{"t":"vote", garbage\n${good}\n`);
  const where = /ledger\.jsonl:2: corrupt journal record/;
  const mine = await run(['mine', '-P', `stratum1+tcp://${LOGIN}@127.0.0.1:1`, '--dag', 'small', '--backend', 'wasm', '--threads', '1', '--datadir', datadir, '--duration', '60'], 20_000);
  assert.equal(mine.code, 2);
  assert.match(mine.stderr, where);
  const ledger = await run(['ledger', '--datadir', datadir]);
  assert.equal(ledger.code, 2);
  assert.match(ledger.stderr, where);
});

/** Runs the CLI to its end; a run still going after `timeoutMs` is killed and fails the test. */
async function run(args: string[], timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = (await new Promise((resolve) => child.on('exit', (...r) => resolve(r)))) as [number | null, string | null];
  clearTimeout(timer);
  assert.equal(signal, null, `sero-miner ${args[0]} still running after ${timeoutMs} ms:\n${stderr}`);
  return { code, stdout, stderr };
}
