// The devnet's mempool is a journal (each transaction written once, the block that takes them
// deletes them), and its stake writes answer only the RPC token's holder.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ClassicLevel } from 'classic-level';
import { mineOverRpc, rpc, startTestDevnet, useRpcToken } from './support/devnet.js';

const quantity = (n: bigint) => `0x${n.toString(16)}`;

function directoryBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(path.join(dir, name)).size, 0);
}

async function journalKeys(location: string): Promise<string[]> {
  const db = new ClassicLevel<string, string>(location, { valueEncoding: 'utf8' });
  await db.open();
  try {
    return await db.keys({ gte: 'mempool', lt: 'mempool;' }).all();
  } finally {
    await db.close();
  }
}

test('1,000 queued stake transactions are written once each, survive a restart and leave the journal with their block', async () => {
  const datadir = await mkdtemp(path.join(os.tmpdir(), 'sero-mempool-'));
  try {
    let devnet = await startTestDevnet({ datadir, voterOnlineProbability: 1, voteLatencyMs: [5, 30] });
    let url = devnet.endpoints.rpc;
    const chainDir = devnet.location;
    const price = BigInt(await rpc(url, 'stake_sharePrice'));
    const before = directoryBytes(chainDir);
    // Ten callers at once, a hundred transactions each: the journal writes them together.
    const hashes = (
      await Promise.all(
        Array.from({ length: 10 }, async (_, caller) => {
          const mine: string[] = [];
          for (let i = 0; i < 100; i++) mine.push(await rpc(url, 'stake_buyShare', [{ from: `buyer-${caller}-${i}`, value: quantity(price) }]));
          return mine;
        }),
      )
    ).flat();
    assert.equal(new Set(hashes).size, 1000);
    assert.equal((await rpc(url, 'devnet_info')).stake.pendingTransactions, 1000);
    // Rewriting the whole mempool per transaction wrote hundreds of MB; a journal is linear.
    const grown = directoryBytes(chainDir) - before;
    assert.ok(grown < 4 << 20, `the store grew by ${grown} bytes for 1,000 transactions`);

    await devnet.close();
    assert.equal((await journalKeys(chainDir)).length, 1000);
    devnet = await startTestDevnet({ datadir, voterOnlineProbability: 1, voteLatencyMs: [5, 30] });
    url = devnet.endpoints.rpc;
    assert.equal((await rpc(url, 'devnet_info')).stake.pendingTransactions, 1000, 'the queue survives a restart');

    const block = await mineOverRpc(url);
    assert.ok(block.transactions.length >= 1000);
    const first = await rpc(url, 'sero_getTransactionReceipt', [hashes[0]]);
    assert.equal(first.status, '0x1');
    assert.equal((await rpc(url, 'devnet_info')).stake.pendingTransactions, 0);
    await devnet.close();
    assert.deepEqual(await journalKeys(chainDir), [], 'the block took its transactions out of the journal');
  } finally {
    await rm(datadir, { recursive: true, force: true });
  }
});

test('stake writes need the RPC token; reads stay open; the token file is private and kept across restarts', async () => {
  const datadir = await mkdtemp(path.join(os.tmpdir(), 'sero-token-'));
  try {
    const devnet = await startTestDevnet({ datadir });
    const url = devnet.endpoints.rpc;
    assert.equal(devnet.rpcTokenFile, path.join(datadir, 'rpc-token'));
    assert.equal(readFileSync(devnet.rpcTokenFile!, 'utf8').trim(), devnet.rpcToken);
    assert.equal(statSync(devnet.rpcTokenFile!).mode & 0o777, 0o600);
    useRpcToken(url, 'nobody-knows-this-token-0000');
    const price = BigInt((await (await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'stake_sharePrice' }) })).json() as { result: string }).result);
    for (const [method, params] of [
      ['stake_buyShare', [{ from: 'victim', value: quantity(price) }]],
      ['stake_registStakePool', [{ from: 'victim', fee: 100 }]],
      ['stake_modifyStakePoolFee', ['devnet-node-0', 9999]],
      ['stake_closeStakePool', ['devnet-node-0']],
    ] as const) {
      const anonymous = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
      const body = (await anonymous.json()) as { error?: { code: number; message: string } };
      assert.equal(body.error?.code, -32001, method);
      assert.match(body.error!.message, new RegExp(`the token is in ${devnet.rpcTokenFile!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
    await assert.rejects(rpc(url, 'stake_buyShare', [{ from: 'victim', value: quantity(price) }]), /HTTP 401 invalid token/);
    useRpcToken(url, devnet.rpcToken);
    assert.match(await rpc(url, 'stake_buyShare', [{ from: 'owner', value: quantity(price) }]), /^0x[0-9a-f]{64}$/);
    assert.equal((await rpc(url, 'devnet_info')).stake.pendingTransactions, 1);
    const token = devnet.rpcToken;
    await devnet.close();
    const again = await startTestDevnet({ datadir });
    assert.equal(again.rpcToken, token, 'the token file is reused');
    await again.close();
  } finally {
    await rm(datadir, { recursive: true, force: true });
  }
});
