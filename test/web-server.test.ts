// Serving the browser page: `sero-miner web` and the devnet's --web answer on loopback with the
// isolation and security headers, exact content types, only the page's files, GET and HEAD
// only, loopback host names only, and the pool the page mines against in /config.json.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { networkInterfaces } from 'node:os';
import { test } from 'node:test';
import { normalizeOrigin } from '../src/net/server/http-guard.js';
import { CONTENT_SECURITY_POLICY, pageOrigins, startWebServer } from '../src/web/serve/server.js';
import { bin, startCommand } from './support/cli-process.js';

/** A raw request, so paths and Host headers go out exactly as written. */
function get(url: string, path: string, options: { method?: string; host?: string } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method: options.method ?? 'GET', headers: options.host ? { host: options.host } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the page server sends isolation, policy and content-type headers and nothing but the page', async () => {
  const config = { pools: ['stratum1+ws://acct.rig@127.0.0.1:8010'], dag: 'small' as const, servedBy: 'web' as const };
  const server = await startWebServer({ port: 0, config: () => config });
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get(server.url, '/');
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(page.headers['cross-origin-opener-policy'], 'same-origin');
    assert.equal(page.headers['cross-origin-embedder-policy'], 'require-corp');
    assert.equal(page.headers['cross-origin-resource-policy'], 'same-origin');
    assert.equal(page.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    assert.match(CONTENT_SECURITY_POLICY, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.match(page.body.toString(), /<script type="module" src="main.js">/);

    for (const [path, type] of [['/main.js', 'text/javascript; charset=utf-8'], ['/pow-worker.js', 'text/javascript; charset=utf-8'], ['/progpow.wasm', 'application/wasm'], ['/style.css', 'text/css; charset=utf-8']]) {
      const file = await get(server.url, path!);
      assert.equal(file.status, 200, path);
      assert.equal(file.headers['content-type'], type, path);
      assert.equal(file.headers['cross-origin-embedder-policy'], 'require-corp', path);
    }
    const wasm = await get(server.url, '/progpow.wasm');
    assert.deepEqual([...wasm.body.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d], 'a WebAssembly module');

    const served = await get(server.url, '/config.json');
    assert.deepEqual(JSON.parse(served.body.toString()), config);

    for (const path of ['/package.json', '/../package.json', '/%2e%2e/package.json', '/src/web/server.ts', '/main.js/x']) {
      assert.equal((await get(server.url, path)).status, 404, path);
    }
    const post = await get(server.url, '/', { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
    const head = await get(server.url, '/main.js', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);

    // DNS rebinding: a foreign name that resolves to loopback does not get the page
    assert.equal((await get(server.url, '/', { host: `evil.example:${new URL(server.url).port}` })).status, 421);
    assert.equal((await get(server.url, '/', { host: `localhost:${new URL(server.url).port}` })).status, 200);
  } finally {
    await server.close();
  }
});

test('sero-miner web serves the page with its pool; a pool a browser cannot reach is refused', async () => {
  const run = await startCommand(['web', '--port', '0', '--json', '-P', 'stratum1+wss://acct.rig@pool.example:443', '--dag', 'small']);
  try {
    const url = run.ready.url as string;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.deepEqual(run.ready.pools, ['stratum1+wss://acct.rig@pool.example:443']);
    const config = JSON.parse((await get(url, '/config.json')).body.toString());
    assert.deepEqual(config, { pools: ['stratum1+wss://acct.rig@pool.example:443'], servedBy: 'web', dag: 'small', profile: 'seed' });
    assert.equal((await get(url, '/')).status, 200);
  } finally {
    run.child.kill('SIGTERM');
  }
  assert.equal((await run.exited).code, 0);

  const refused = spawnSync(process.execPath, [bin, 'web', '--port', '0', '-P', 'stratum1+tcp://acct@127.0.0.1:8008'], { encoding: 'utf8' });
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /a browser reaches pools only over WebSocket; use stratum1\+ws:\/\/ or stratum1\+wss:\/\//);
});

test('devnet --web serves the same page, set to mine on its stratum WebSocket', async () => {
  const run = await startCommand(['devnet', '--json', '--dag', 'small', '--stratum-port', '0', '--rpc-port', '0', '--no-stratum-tls', '--web']);
  try {
    const ready = run.ready as Record<string, string>;
    assert.match(ready.web!, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const config = JSON.parse((await get(ready.web!, '/config.json')).body.toString());
    assert.deepEqual(config, { pools: [ready.stratumWs!.replace('://', '://devnet-miner.browser@')], dag: 'small', profile: 'seed', servedBy: 'devnet' });
    const page = await get(ready.web!, '/');
    assert.equal(page.headers['cross-origin-embedder-policy'], 'require-corp');
  } finally {
    run.child.kill('SIGTERM');
  }
  assert.equal((await run.exited).code, 0);

  const noWs = spawnSync(process.execPath, [bin, 'devnet', '--dag', 'small', '--stratum-port', '0', '--rpc-port', '0', '--no-stratum-ws', '--web'], { encoding: 'utf8' });
  assert.equal(noWs.status, 1);
  assert.match(noWs.stderr, /the web page mines over the stratum WebSocket/);
});

test("the page's origins: every address of the machine on a wildcard bind, the bound one otherwise, localhost always", () => {
  const interfaces = {
    lo: [{ address: '127.0.0.1' }, { address: '::1' }],
    eth0: [{ address: '192.168.7.2' }, { address: 'fe80::1' }],
  } as unknown as ReturnType<typeof networkInterfaces>;
  assert.deepEqual(pageOrigins('0.0.0.0', 8011, interfaces, 'Rig'), [
    'http://localhost:8011', 'http://127.0.0.1:8011', 'http://[::1]:8011', 'http://192.168.7.2:8011', 'http://[fe80::1]:8011', 'http://rig:8011', 'http://rig.local:8011',
  ]);
  assert.deepEqual(pageOrigins('127.0.0.1', 8011, interfaces, 'rig'), ['http://localhost:8011', 'http://127.0.0.1:8011']);
  assert.deepEqual(pageOrigins('192.168.7.2', 80, interfaces, 'rig'), ['http://localhost:80', 'http://192.168.7.2:80', 'http://rig:80', 'http://rig.local:80']);
  // each is an origin the stratum WebSocket guard takes as it is
  for (const origin of pageOrigins('::', 8011, interfaces, 'rig')) assert.equal(normalizeOrigin(origin), origin);
});
