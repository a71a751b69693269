import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, appendFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { Ledger } from '../src/miner/reward-ledger.js';
import { BlockTracker } from '../src/miner/block-tracker.js';
import { confirmationRule } from '../src/miner/confirmation-rule.js';
import { NodeBlockSource } from '../src/miner/node-block-source.js';
import { PoolNoticeSource, type NoticeEmitter } from '../src/miner/pool-notice-source.js';
import { formatSero, parseSero, sero } from '../src/util/sero-amount.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'sero-ledger-'));
const block = (height: number, nonce: string) => ({ height, nonce, headerHash: '0x' + '11'.repeat(32), mixDigest: '0x' + '22'.repeat(32), expectedCredit: (sero(72) * 5n) / 8n, votesNeeded: 3 });

test('amounts are exact decimal SERO', () => {
  assert.equal(formatSero((sero(72) * 5n) / 8n), '45');
  assert.equal(formatSero(sero(3) / 8n), '0.375');
  assert.equal(formatSero(759357000000000n), '0.000759357');
  assert.equal(parseSero('2.000759357'), 2000759357000000000n);
  assert.equal(formatSero(parseSero('123456789.123456789123456789')), '123456789.123456789123456789');
});

test('credit lands only on confirmation; orphans credit nothing', () => {
  const dir = tmp();
  const ledger = new Ledger(dir);
  ledger.addPending(block(940500, '0x00000000000000aa'));
  ledger.addPending(block(940501, '0x00000000000000bb'));
  assert.equal(ledger.totals().credit, 0n);
  assert.equal(ledger.addVote(940500, '0x00000000000000aa', 'v1'), 1);
  assert.equal(ledger.addVote(940500, '0x00000000000000aa', 'v1'), 1, 'a repeated vote counts once');
  assert.equal(ledger.addVote(940500, '0x00000000000000aa', 'v2'), 2);
  assert.equal(ledger.addVote(940500, '0x00000000000000AA', 'v3'), 3);
  ledger.confirm(940500, '0x00000000000000aa');
  ledger.orphan(940501, '0x00000000000000bb', 'vote window passed');
  assert.equal(ledger.confirm(940501, '0x00000000000000bb'), undefined, 'an orphan cannot be confirmed later');
  assert.deepEqual(ledger.toJSON(), {
    chains: [{
      id: 'unknown', chain: null, pools: [], profiles: [],
      totals: { pending: 0, confirmed: 1, orphaned: 1, credit: '45' },
      blocks: [
        { height: 940500, nonce: '0x00000000000000aa', status: 'confirmed', votes: 3, votesNeeded: 3, credit: '45', pool: null, profile: null },
        { height: 940501, nonce: '0x00000000000000bb', status: 'orphaned', votes: 0, votesNeeded: 3, credit: '0', pool: null, profile: null },
      ],
    }],
  });
  ledger.close();
  const reopened = new Ledger(dir);
  assert.deepEqual(reopened.toJSON(), ledger.toJSON());
  reopened.close();
});

/** A journal holding one block, then a crash in the middle of writing `torn`; reopened. */
function tornJournal(height: number, nonce: string, torn: string): { dir: string; reopened: Ledger } {
  const dir = tmp();
  const ledger = new Ledger(dir);
  ledger.addPending(block(height, nonce));
  ledger.close();
  appendFileSync(path.join(dir, 'ledger.jsonl'), torn);
  return { dir, reopened: new Ledger(dir) };
}

test('a torn final record is dropped and the journal stays appendable', () => {
  const { dir, reopened } = tornJournal(940600, '0x0000000000000001', '{"t":"vote","nonce":"0x00');
  assert.equal(reopened.pending().length, 1);
  reopened.addVote(940600, '0x0000000000000001', 'v1');
  reopened.close();
  assert.equal(new Ledger(dir).get(940600, '0x0000000000000001')!.voters.length, 1);
  assert.doesNotMatch(readFileSync(path.join(dir, 'ledger.jsonl'), 'utf8'), /"nonce":"0x00\n/);
});

test('kill -9 while a block is pending: it is still tracked after restart', async () => {
  const dir = tmp();
  const modulePath = new URL('../src/miner/reward-ledger.js', import.meta.url).href;
  const script = `
    import { Ledger } from ${JSON.stringify(modulePath)};
    const l = new Ledger(${JSON.stringify(dir)});
    l.addPending({ height: 940700, nonce: '0x00000000000000cc', headerHash: '0x', mixDigest: '0x', expectedCredit: 45n * 10n ** 18n, votesNeeded: 3 });
    l.addVote(940700, '0x00000000000000cc', 'voter-a');
    process.stdout.write('ready\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.on('exit', resolve));
  const ledger = new Ledger(dir);
  const b = ledger.get(940700, '0x00000000000000cc')!;
  assert.equal(b.status, 'pending');
  assert.deepEqual(b.voters, ['voter-a']);
  ledger.addVote(940700, '0x00000000000000cc', 'voter-b');
  ledger.addVote(940700, '0x00000000000000cc', 'voter-c');
  ledger.confirm(940700, '0x00000000000000cc');
  assert.equal(formatSero(ledger.totals().credit), '45');
  ledger.close();
});

test('a vote reported by the pool and by the node counts once, whatever order each lists votes in', async () => {
  const ledger = new Ledger(tmp());
  const tracker = new BlockTracker(ledger, 'node');
  const pool = new EventEmitter();
  new PoolNoticeSource(pool as NoticeEmitter, tracker.handle, confirmationRule('seed'));
  const height = 940_500;
  const nonce = 0xabn;
  const header = new Uint8Array(32).fill(0x11);
  const [a, b] = [new Uint8Array(32).fill(0xaa), new Uint8Array(32).fill(0xbb)];
  const share = { headerHex: Buffer.from(header).toString('hex'), mixDigest: new Uint8Array(32) };
  // The pool saw A's first ticket, then B's vote (and repeats a notice).
  for (const [shareId, votes] of [[a, 1], [b, 2], [b, 2]] as const) {
    pool.emit('vote', { height, nonce, headerHash: header, shareId, isPool: false, votes, share });
  }
  assert.equal(ledger.get(height, '0x00000000000000ab')!.voters.length, 2);
  // The node's block lists B's vote first, then A's two tickets.
  const hex = (id: Uint8Array) => '0x' + Buffer.from(id).toString('hex');
  const onChain = { number: '0x' + height.toString(16), nonce: '0x00000000000000ab', mixHash: '0x' + '00'.repeat(32), currentVotes: [b, a, a].map((id) => ({ Id: hex(id), IsPool: false, Sign: '0x' })) };
  const rpc = async (method: string) => (method === 'sero_blockNumber' ? '0x' + height.toString(16) : onChain);
  await new NodeBlockSource({ rpc, ledger, sink: tracker.handle }).poll();
  const settled = ledger.get(height, '0x00000000000000ab')!;
  assert.equal(settled.status, 'confirmed');
  const key = (id: Uint8Array, ordinal: number) => `${Buffer.from(id).toString('hex')}#${ordinal}`;
  assert.deepEqual([...settled.voters].sort(), [key(a, 1), key(a, 2), key(b, 1)].sort());
  ledger.close();
});

test('a torn first record of a block: it is recorded again as pending and the node finds it by its nonce', async () => {
  // the crash came in the middle of the next block's pending record, after its nonce
  const { dir, reopened } = tornJournal(940800, '0x00000000000000d1', '{"t":"pending","height":940801,"nonce":"0x00000000000000d2","headerHash":"0x1111');
  assert.equal(reopened.get(940801, '0x00000000000000d2'), undefined, 'replay drops the torn record');
  assert.match(reopened.droppedWarning(true)!, /ledger\.jsonl:2: dropped a torn "pending" record of block 940801 \(0x00000000000000d2\).*; the block was never recorded/);
  const restored = reopened.restoreDroppedBlock({ expectedCredit: 45n * 10n ** 18n, votesNeeded: 3 })!;
  assert.deepEqual([restored.status, restored.mixDigest], ['pending', '0x' + '00'.repeat(32)]);
  const tracker = new BlockTracker(reopened, 'node');
  const onChain = { number: '0xe5b01', nonce: '0x00000000000000d2', mixHash: '0x' + '33'.repeat(32), currentVotes: null };
  const rpc = async (method: string) => (method === 'sero_blockNumber' ? '0xe5b01' : method === 'sero_getBlockRewardByNumber' ? ['0x2' + '0'.repeat(18), '0x0', '0x0'] : onChain);
  await new NodeBlockSource({ rpc, ledger: reopened, sink: tracker.handle }).poll();
  assert.equal(reopened.get(940801, '0x00000000000000d2')!.status, 'confirmed', 'matched by nonce alone, its mix unknown');
  assert.equal(reopened.get(940801, '0x00000000000000d2')!.credit, 2n * 16n ** 18n, "credited the node's block reward");
  reopened.close();
  assert.equal(new Ledger(dir).totals().confirmed, 1, 'and it survives the next replay');
});
