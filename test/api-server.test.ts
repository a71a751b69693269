// The miner's API driven as farm tools drive serominer's: JSON-RPC over TCP and over HTTP on one
// port, control behind the password and refused on a read-only port, serominer's result shapes,
// the pool list changed live, /getstat1, /api/status, /metrics, and the Host/Origin guard;
// all against a real mining session (WASM, one thread) on the embedded devnet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDevnet, type Devnet } from '../src/devnet/index.js';
import { createWasmBackend } from '../src/backends/wasm/index.js';
import { startMiningSession, type MiningSession } from '../src/miner/session.js';
import { segmentOf } from '../src/miner/nonce-segments.js';
import { parsePoolUri } from '../src/net/wire/uri.js';
import { silentLogger } from '../src/util/log.js';
import { startApiServer, type ApiServer } from '../src/api/api-server.js';
import { sessionControl } from '../src/api/rig-control.js';
import { RigStatusSource } from '../src/api/rig-status.js';
import { freePort, httpRequest, httpRpc, TcpRpcClient } from './support/api-client.js';
import { waitUntil } from './fixtures/net-helpers.js';
import { repoRoot } from './support/vectors.js';

const PASSWORD = 'correct horse';
const backend = createWasmBackend({ threads: 1 });
let devnet: Devnet;
let session: MiningSession;
let source: RigStatusSource;
let api: ApiServer;
let readOnlyApi: ApiServer;
const verbosity: number[] = [];
const poolUri = (worker: string) => devnet.endpoints.stratum.replace('://', `://devnet-miner.${worker}@`);

before(async () => {
  devnet = await startDevnet({
    dag: 'small', initialDifficulty: 2000n, blockTimeSeconds: 3, voterOnlineProbability: 1, voteLatencyMs: [20, 100],
    stratumTlsPort: null, stratumWsPort: null, logger: silentLogger,
  });
  session = startMiningSession({
    pools: [parsePoolUri(poolUri('api'))], backends: [backend], dagMode: 'small',
    datadir: mkdtempSync(path.join(tmpdir(), 'sero-api-')), profile: 'seed', logger: silentLogger, batchMs: 200,
  });
  source = new RigStatusSource({ session, sampleSeconds: 1 });
  const control = sessionControl(session, { log: silentLogger, setVerbosity: (v) => verbosity.push(v) });
  api = await startApiServer({ port: await freePort(), password: PASSWORD, source, control, log: silentLogger, guard: { allowedOrigins: ['http://farm.example:8080'] } });
  readOnlyApi = await startApiServer({ port: -(await freePort()), password: PASSWORD, source, control, log: silentLogger });
  await waitUntil(() => session.ledger.totals().confirmed >= 1 && session.rig.shares.accepted >= 2, 60_000, 'a confirmed block');
});

after(async () => {
  await api?.close();
  await readOnlyApi?.close();
  source?.stop();
  await session?.stop();
  await backend.close();
  await devnet?.close();
});

test('a farm tool reads the rig over TCP with serominer\'s methods and shapes', async () => {
  const client = await TcpRpcClient.connect(api.port);
  try {
    assert.deepEqual(await client.call('miner_ping'), { id: 1, jsonrpc: '2.0', result: 'pong' });

    const stat1 = (await client.call('miner_getstat1')).result as string[];
    assert.equal(stat1.length, 9);
    assert.equal(stat1[0], 'sero-miner-0.1.0');
    assert.match(stat1[1]!, /^\d+$/);
    const [khs, accepted, rejected] = stat1[2]!.split(';').map(Number);
    assert.ok(accepted! >= 2 && accepted! <= session.rig.shares.accepted, stat1[2]);
    assert.equal(rejected, 0);
    assert.ok(Math.abs(khs! - session.rig.hashrate / 1000) < 20, `${khs} kH/s vs ${session.rig.hashrate} H/s`);
    assert.equal(stat1[3]!.split(';').length, 1, 'one hashrate per device');
    assert.equal(stat1[7], `127.0.0.1:${new URL(devnet.endpoints.stratum.replace('stratum1+tcp', 'http')).port}`);

    const detail = (await client.call('miner_getstatdetail')).result;
    assert.equal(detail.connection.connected, true);
    assert.equal(detail.connection.uri, `stratum1+tcp://devnet-miner.api@${devnet.endpoints.stratum.split('//')[1]}`);
    assert.equal(detail.host.version, 'sero-miner-0.1.0');
    assert.equal(detail.mining.epoch, 31);
    assert.ok(detail.mining.jobs >= 1);
    assert.match(detail.mining.hashrate, /^0x[0-9a-f]{8}$/);
    assert.equal(detail.devices.length, 1);
    const device = detail.devices[0];
    assert.equal(device._index, 0);
    assert.equal(device._mode, 'WASM');
    assert.equal(device.hardware.type, 'CPU');
    assert.equal(device.mining.paused, false);
    assert.ok(device.mining.shares[0] >= 2);
    const segment = segmentOf(session.rig.scrambler, 0);
    assert.deepEqual(device.mining.segment, [`0x${segment.start.toString(16).padStart(16, '0')}`, `0x${segment.end.toString(16).padStart(16, '0')}`]);

    assert.deepEqual((await client.call('miner_getconnections')).result, [{ active: true, index: 0, uri: detail.connection.uri }]);
    const scrambler = (await client.call('miner_getscramblerinfo')).result;
    assert.deepEqual(scrambler, { device_count: 1, device_width: 40, start_nonce: `0x${session.rig.scrambler.toString(16).padStart(16, '0')}` });

    const blocks = (await client.call('miner_getblocks')).result as any[];
    const confirmed = blocks.find((b) => b.status === 'confirmed');
    assert.ok(confirmed, JSON.stringify(blocks));
    assert.equal(confirmed.votes, 3);
    assert.equal(confirmed.votes_needed, 3);
    assert.equal(confirmed.credit, '45');
    const ledgerBlock = session.ledger.get(confirmed.height, confirmed.nonce)!;
    assert.equal(ledgerBlock.status, 'confirmed');
    assert.equal(confirmed.header_hash, ledgerBlock.headerHash);
  } finally {
    client.close();
  }
});

test('control over TCP needs the password; wrong passwords and bad parameters are refused', async () => {
  const client = await TcpRpcClient.connect(api.port);
  try {
    assert.deepEqual((await client.call('miner_pausegpu', { index: 0, pause: true })).error, { code: -403, message: 'Authorization needed' });
    assert.deepEqual((await client.call('api_authorize', { psw: 'wrong' })).error, { code: -401, message: 'Invalid password' });
    assert.equal((await client.call('miner_shuffle')).error?.code, -403);
    assert.equal((await client.call('api_authorize', { psw: PASSWORD })).result, true);

    assert.equal((await client.call('miner_pausegpu', { index: 0, pause: true })).result, true);
    await waitUntil(() => session.rig.devices[0]!.phase === 'paused', 5000, 'the device to pause');
    // the aborted batches report what they hashed before they stopped; then nothing comes
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await sleep(500);
    const pausedTotal = session.rig.meter.total;
    await sleep(1000);
    assert.equal(session.rig.meter.total, pausedTotal, 'no hashes while paused');
    assert.equal((await client.call('miner_getstatdetail')).result.devices[0].mining.paused, true);
    assert.equal((await client.call('miner_pausegpu', { index: 0, pause: false })).result, true);
    await waitUntil(() => session.rig.meter.total > pausedTotal, 10_000, 'hashes after resuming');

    assert.deepEqual((await client.call('miner_pausegpu', { index: 7, pause: true })).error, { code: -422, message: 'Index out of bounds' });
    assert.deepEqual((await client.call('miner_pausegpu', { index: 0 })).error, { code: -32602, message: "Missing 'pause'" });
    assert.deepEqual((await client.call('miner_pausegpu', { index: '0', pause: true })).error, { code: -32602, message: "Invalid type of value 'index'" });
    assert.equal((await client.call('miner_setverbosity', { verbosity: 300 })).error?.code, -422);
    assert.equal((await client.call('miner_setverbosity', { verbosity: 9 })).result, true);
    assert.deepEqual(verbosity, [9]);

    const before = session.rig.scrambler;
    assert.equal((await client.call('miner_shuffle')).result, true);
    assert.notEqual(session.rig.scrambler, before);

    const device = session.rig.devices[0]!;
    const hashed = device.meter.total;
    assert.equal((await client.call('miner_restart')).result, true);
    await waitUntil(() => device.restarts === 1 && device.meter.total > hashed + 1000 && device.phase === 'mining', 20_000, 'hashes after miner_restart');

    assert.deepEqual((await client.call('miner_nonsense')).error, { code: -32601, message: 'Method not found' });
    assert.deepEqual((await client.sendLine('{"jsonrpc":"2.0","method":"miner_ping"}')).error, { code: -32600, message: 'Invalid Request (missing or empty id)' });
    assert.equal((await client.sendLine('{not json')).error?.code, -32700);
  } finally {
    client.close();
  }
});

test('a read-only (negative) port refuses every control method, password or not', async () => {
  assert.equal(readOnlyApi.readOnly, true);
  const client = await TcpRpcClient.connect(readOnlyApi.port);
  try {
    assert.equal((await client.call('miner_ping')).result, 'pong');
    assert.equal((await client.call('api_authorize', { psw: PASSWORD })).result, true);
    for (const [method, params] of [['miner_pausegpu', { index: 0, pause: true }], ['miner_restart'], ['miner_shuffle'], ['miner_setverbosity', { verbosity: 1 }], ['miner_addconnection', { uri: poolUri('x') }], ['miner_removeconnection', { index: 0 }], ['miner_setactiveconnection', { index: 0 }]] as const) {
      assert.deepEqual((await client.call(method, params)).error, { code: -32601, message: 'Method not available' }, method);
    }
    assert.equal(session.rig.devices[0]!.paused, false);
    assert.equal((await client.call('miner_getstatdetail')).result.devices.length, 1);
  } finally {
    client.close();
  }
});

test('JSON-RPC over HTTP on the same port: a Bearer password authorizes control, a wrong one does not', async () => {
  assert.deepEqual(await httpRpc(api.port, { id: 'a', jsonrpc: '2.0', method: 'miner_ping' }), { id: 'a', jsonrpc: '2.0', result: 'pong' });
  const shuffle = { id: 2, jsonrpc: '2.0', method: 'miner_shuffle' };
  assert.equal((await httpRpc(api.port, shuffle)).error.code, -403);
  assert.equal((await httpRpc(api.port, shuffle, { Authorization: 'Bearer nope' })).error.code, -403);
  const before = session.rig.scrambler;
  assert.equal((await httpRpc(api.port, shuffle, { Authorization: `Bearer ${PASSWORD}` })).result, true);
  assert.notEqual(session.rig.scrambler, before);
  // a batch is one session: api_authorize first, as on TCP
  const batch = await httpRpc(api.port, [{ id: 1, jsonrpc: '2.0', method: 'api_authorize', params: { psw: PASSWORD } }, shuffle]);
  assert.deepEqual(batch.map((r: any) => r.result), [true, true]);
  const refused = await httpRpc(api.port, [{ id: 1, jsonrpc: '2.0', method: 'api_authorize', params: { psw: 'guess' } }, shuffle]);
  assert.deepEqual(refused.map((r: any) => r.error.code), [-401, -403]);
  assert.equal((await httpRpc(readOnlyApi.port, shuffle, { Authorization: `Bearer ${PASSWORD}` })).error.code, -32601);
});

test('password guessing: after 5 wrong passwords in a minute an address is refused every password, over TCP and HTTP', async () => {
  const guarded = await startApiServer({ port: await freePort(), password: PASSWORD, source, control: sessionControl(session, { log: silentLogger, setVerbosity: () => {} }), log: silentLogger });
  const client = await TcpRpcClient.connect(guarded.port);
  try {
    for (let i = 0; i < 5; i++) assert.equal((await client.call('api_authorize', { psw: `guess ${i}` })).error?.code, -401);
    const locked = await client.call('api_authorize', { psw: PASSWORD });
    assert.equal(locked.error?.code, -429);
    assert.match(locked.error!.message, /Too many invalid passwords from 127\.0\.0\.1: try again in \d+ s/);
    assert.equal((await client.call('miner_shuffle')).error?.code, -403, 'the refused right password authorized nothing');
    const shuffle = { id: 1, jsonrpc: '2.0', method: 'miner_shuffle' };
    const overHttp = await fetch(`http://127.0.0.1:${guarded.port}/`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${PASSWORD}` }, body: JSON.stringify(shuffle) });
    assert.equal(overHttp.status, 429);
    assert.equal((await overHttp.json()).error.code, -429);
    assert.equal((await client.call('miner_ping')).result, 'pong', 'reading still works');
  } finally {
    client.close();
    await guarded.close();
  }
  // the shared server on the same address was not touched
  assert.equal((await httpRpc(api.port, { id: 1, jsonrpc: '2.0', method: 'api_authorize', params: { psw: PASSWORD } })).result, true);
});

test('pools are added, switched to and removed while mining', async () => {
  const client = await TcpRpcClient.connect(api.port);
  try {
    await client.call('api_authorize', { psw: PASSWORD });
    assert.equal((await client.call('miner_addconnection', { uri: poolUri('second') })).result, true);
    assert.match((await client.call('miner_addconnection', { uri: 'stratum1+tcp://nohost' })).error!.message, /^Bad URI : /);
    assert.match((await client.call('miner_addconnection', { uri: 'http://127.0.0.1:1' })).error!.message, /Cannot mix stratum and getwork/);
    let connections = (await client.call('miner_getconnections')).result as any[];
    assert.deepEqual(connections.map((c) => [c.index, c.active, c.uri.includes('.second@')]), [[0, true, false], [1, false, true]]);

    assert.equal((await client.call('miner_setactiveconnection', { index: 1 })).result, true);
    await waitUntil(() => session.pools.activePool?.worker === 'second', 10_000, 'the switch to pool 1');
    assert.deepEqual((await client.call('miner_removeconnection', { index: 1 })).error, { code: -422, message: 'Cannot remove the active connection' });
    assert.equal((await client.call('miner_removeconnection', { index: 0 })).result, true);
    connections = (await client.call('miner_getconnections')).result as any[];
    assert.deepEqual(connections.map((c) => [c.index, c.active, c.uri.includes('.second@')]), [[0, true, true]]);
    const shares = session.rig.shares.accepted;
    await waitUntil(() => session.rig.shares.accepted > shares, 30_000, 'a share accepted on the new pool');
    assert.equal(session.rig.shares.rejected, 0);
    assert.equal((await client.call('miner_setactiveconnection', { URI: '\\.second@' })).result, true, 'already active: nothing happens');
    assert.equal((await client.call('miner_setactiveconnection', { index: 4 })).error?.code, -422);
  } finally {
    client.close();
  }
});

test('HTTP pages: /getstat1, /api/status and Prometheus /metrics agree with the rig', async () => {
  const stat = await httpRequest(api.port, '/getstat1');
  assert.equal(stat.status, 200);
  assert.match(String(stat.headers['content-type']), /^text\/html/);
  assert.match(stat.body, /sero-miner-0\.1\.0/);
  assert.match(stat.body, /<td>wasm:0<\/td>/);

  const status = JSON.parse((await httpRequest(api.port, '/api/status')).body);
  assert.equal(status.devices.length, 1);
  assert.ok(status.history.length >= 1);
  assert.ok(status.blocks.confirmed >= 1);

  const metrics = await httpRequest(api.port, '/metrics');
  assert.equal(metrics.status, 200);
  assert.match(String(metrics.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  const value = (pattern: RegExp) => {
    const match = pattern.exec(metrics.body);
    assert.ok(match, `${pattern} in\n${metrics.body.slice(0, 3000)}`);
    return Number(match[1]);
  };
  // the chain being mined: no node names it, so it is the pool's (its address, whichever worker logs in)
  const chain = `pool:${status.pool.uri.replace(/\/\/[^@/]*@/, '//')}`;
  assert.equal(status.blocks.chain, chain);
  const totals = session.chainTotals();
  const label = chain.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  assert.equal(value(new RegExp(`^sero_miner_blocks\\{chain="${label}",status="confirmed"\\} (\\S+)$`, 'm')), totals.confirmed);
  assert.equal(value(new RegExp(`^sero_miner_credited_sero\\{chain="${label}"\\} (\\S+)$`, 'm')), Number(totals.credit / 10n ** 18n));
  assert.equal(value(/^sero_miner_ledger_ok\{file="[^"]+ledger\.jsonl"\} (\S+)$/m), 1);
  assert.equal(status.ledger.ok, true);
  assert.ok(value(/^sero_miner_shares_total\{device="0",backend="wasm",name="[^"]*",status="accepted"\} (\S+)$/m) >= 2);
  assert.equal(value(/^sero_miner_shares_total\{device="0",backend="wasm",name="[^"]*",status="rejected"\} (\S+)$/m), 0);
  assert.ok(value(/^sero_miner_hashrate_hashes_per_second\{device="0",backend="wasm",name="[^"]*"\} (\S+)$/m) > 0);
  assert.equal(value(/^sero_miner_dag_progress_ratio\{device="0",backend="wasm",name="[^"]*",epoch="31"\} (\S+)$/m), 1);
  assert.ok(value(/^sero_miner_votes_seen_total (\S+)$/m) >= 3);
  assert.equal(value(/^sero_miner_pool_connected (\S+)$/m), 1);
  assert.ok(value(/^sero_miner_pool_latency_seconds (\S+)$/m) >= 0);
  assert.ok(value(/^sero_miner_pool_failovers_total (\S+)$/m) >= 0);
  assert.ok(value(/^sero_miner_uptime_seconds (\S+)$/m) >= 0);
  assert.match(metrics.body, /^sero_miner_process_resident_memory_bytes \d+/m);

  // the Grafana dashboard in the repository queries only what /metrics exports
  const dashboard = readFileSync(path.join(repoRoot, 'grafana/sero-miner-dashboard.json'), 'utf8');
  const queried = new Set(JSON.stringify(JSON.parse(dashboard)).match(/sero_miner_[a-z_]+/g));
  assert.ok(queried.size >= 8);
  for (const name of queried) assert.match(metrics.body, new RegExp(`^# TYPE ${name} `, 'm'), `${name} is not exported`);
});

test('the Host/Origin guard: rebinding hosts and other sites are refused, an allowed origin gets CORS', async () => {
  const ping = JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'miner_ping' });
  assert.equal((await httpRequest(api.port, '/api/status', { headers: { Host: 'evil.example:80' } })).status, 403, 'DNS rebinding');
  assert.equal((await httpRequest(api.port, '/api/status', { headers: { Host: `localhost:${api.port}` } })).status, 200);
  assert.equal((await httpRequest(api.port, '/api/status', { headers: { Host: `[::1]:${api.port}` } })).status, 200);
  const crossSite = await httpRequest(api.port, '/', { method: 'POST', body: ping, headers: { Host: `127.0.0.1:${api.port}`, Origin: 'http://evil.example', 'Content-Type': 'text/plain' } });
  assert.equal(crossSite.status, 403);
  assert.equal((await httpRequest(api.port, '/api/status', { headers: { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'no-cors' } })).status, 403);
  assert.equal((await httpRequest(api.port, '/', { headers: { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate' } })).status, 200, 'a link from elsewhere opens the dashboard');
  const sameOrigin = await httpRequest(api.port, '/', { method: 'POST', body: ping, headers: { Host: `127.0.0.1:${api.port}`, Origin: `http://127.0.0.1:${api.port}` } });
  assert.equal(JSON.parse(sameOrigin.body).result, 'pong');

  const allowed = await httpRequest(api.port, '/api/status', { headers: { Origin: 'http://farm.example:8080' } });
  assert.equal(allowed.status, 200);
  assert.equal(allowed.headers['access-control-allow-origin'], 'http://farm.example:8080');
  const preflight = await httpRequest(api.port, '/', { method: 'OPTIONS', headers: { Origin: 'http://farm.example:8080', 'Access-Control-Request-Method': 'POST' } });
  assert.equal(preflight.status, 204);
  assert.match(String(preflight.headers['access-control-allow-headers']), /Authorization/);
  const notAllowed = await httpRequest(api.port, '/', { method: 'OPTIONS', headers: { Origin: 'http://other.example', 'Access-Control-Request-Method': 'POST' } });
  assert.equal(notAllowed.status, 403);
  assert.equal(notAllowed.headers['access-control-allow-origin'], undefined);
});

test('the dashboard page and its modules are served with a strict policy; nothing else is', async () => {
  const page = await httpRequest(api.port, '/');
  assert.equal(page.status, 200);
  assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
  assert.match(page.body, /<script type=module src="\/ui\/api\/dashboard\/client\.js">/);
  const client = await httpRequest(api.port, '/ui/api/dashboard/client.js');
  assert.equal(client.status, 200);
  assert.match(client.body, /from '\.\.\/\.\.\/miner\/status-line\.js'/);
  assert.equal((await httpRequest(api.port, '/ui/miner/status-line.js')).status, 200);
  assert.equal((await httpRequest(api.port, '/ui/miner/miner.js')).status, 404);
  assert.equal((await httpRequest(api.port, '/ui/../../package.json')).status, 404);
  assert.equal((await httpRequest(api.port, '/api/status', { method: 'DELETE' })).status, 405);
});

test('the live feed: history at once, then status every second and chart samples, to every open dashboard', async () => {
  const listen = () => new Promise<{ events: string[]; close(): void }>((resolve, reject) => {
    const events: string[] = [];
    const req = http.get({ host: '127.0.0.1', port: api.port, path: '/api/events' }, (res) => {
      assert.match(String(res.headers['content-type']), /^text\/event-stream/);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { for (const m of chunk.matchAll(/^event: (\w+)$/gm)) events.push(m[1]!); });
      resolve({ events, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
  const [a, b] = [await listen(), await listen()];
  try {
    await waitUntil(() => [a, b].every((s) => s.events.filter((e) => e === 'status').length >= 3 && s.events.includes('sample')), 10_000, 'status and samples on both feeds');
    for (const s of [a, b]) assert.deepEqual(s.events.slice(0, 2), ['history', 'status']);
  } finally {
    a.close();
    b.close();
  }
});

test('requests split into small pieces are still told apart: HTTP by its request line, JSON-RPC by its brace', async () => {
  const pieces = async (parts: string[]) => {
    const socket = net.connect(api.port, '127.0.0.1');
    await once(socket, 'connect');
    let reply = '';
    socket.on('data', (chunk) => (reply += String(chunk)));
    for (const part of parts) {
      socket.write(part);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await waitUntil(() => reply.includes('\n') && (reply.startsWith('{') || reply.includes('"version"')), 5000, 'a reply');
    socket.destroy();
    return reply;
  };
  const http = await pieces(['GE', 'T /api/sta', 'tus HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'Connection: close\r\n\r\n']);
  assert.match(http, /^HTTP\/1\.1 200 OK/);
  const rpc = await pieces(['{"id":7,', '"jsonrpc":"2.0","method":"miner_', 'ping"}\n']);
  assert.deepEqual(JSON.parse(rpc), { id: 7, jsonrpc: '2.0', result: 'pong' });
});

test('hostile input on the raw port: an endless line is cut off', async () => {
  const client = await TcpRpcClient.connect(api.port);
  client.write(`{"id":1,"jsonrpc":"2.0","method":"${'x'.repeat(40_000)}`);
  await client.closed;
  const again = await TcpRpcClient.connect(api.port);
  assert.equal((await again.call('miner_ping')).result, 'pong', 'the server still answers');
  again.close();
});
