// Each test browser's profile (support/browser-profiles.ts) reaches nothing beyond loopback:
// the browser runs under strace while it loads the page, runs a short benchmark and idles, and
// every TCP connection it opens and every datagram it sends goes to a loopback address. (A UDP
// socket connected but never sent on, as chromium's IPv6 route probe is, sends nothing.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startWebServer, type WebServer } from '../src/web/serve/server.js';
import { BROWSER_PATHS, engineSkip, ENGINES, fill, launchBrowser, type Engine } from './support/browser.js';

const hasStrace = spawnSync('strace', ['-V']).status === 0;
const noStrace = hasStrace || process.env.CI === 'true' ? false : 'no strace here';
/** How long each browser runs: past its start-up's background work, and a benchmark. */
const RUN_MS = 30_000;

let server: WebServer;
let dir: string;

before(async () => {
  server = await startWebServer({ config: () => ({ pools: [], servedBy: 'web' }) });
  dir = mkdtempSync(path.join(tmpdir(), 'sero-browser-network-'));
});

after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
/** An address as strace writes it in a socket structure. */
const ADDRESS = /(?:inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)")/;

/** The host of an endpoint as strace -yy annotates a connected socket: "10.0.0.1:53", "[::1]:80". */
function endpointHost(endpoint: string): string {
  return endpoint.startsWith('[') ? endpoint.slice(1, endpoint.indexOf(']')) : endpoint.slice(0, endpoint.lastIndexOf(':'));
}

/** The trace lines that open a TCP connection or send data beyond loopback. */
function beyondLoopback(trace: string): string[] {
  return trace.split('\n').filter((line) => {
    const tcp = /connect\(\d+<TCP(?:v6)?:[^>]*>, \{sa_family=AF_INET6?,/.test(line) ? ADDRESS.exec(line) : null;
    if (tcp && !LOOPBACK.test(tcp[1] ?? tcp[2]!)) return true;
    if (!/send(?:to|msg|mmsg)\(/.test(line)) return false;
    const connected = /send(?:to|msg|mmsg)\(\d+<(?:TCP|UDP)(?:v6)?:\[[^\]]*->(.+?)\]>/.exec(line);
    if (connected && !LOOPBACK.test(endpointHost(connected[1]!))) return true;
    const addressed = /msg_name=\{sa_family=AF_INET6?,|sendto\(.*\{sa_family=AF_INET6?,/.test(line) ? ADDRESS.exec(line) : null;
    return addressed !== null && !LOOPBACK.test(addressed[1] ?? addressed[2]!);
  });
}

/** A program started in the browser's place: the browser under strace, its network calls logged. */
function tracingWrapper(engine: Engine, log: string): string {
  const wrapper = path.join(dir, `${engine}-traced.sh`);
  const command = ['strace', '-f', '-qq', '-yy', '--seccomp-bpf', '-e', 'trace=connect,sendto,sendmsg,sendmmsg', '-e', 'signal=none', '-o', log, BROWSER_PATHS[engine]];
  writeFileSync(wrapper, `#!/bin/sh\nexec ${command.map((arg) => `'${arg}'`).join(' ')} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

test('the trace reading tells loopback from the network', () => {
  const trace = [
    '12 connect(26<TCP:[172010]>, {sa_family=AF_INET, sin_port=htons(8931), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
    '12 connect(24<UDPv6:[172598]>, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr), sin6_scope_id=0}, 28) = 0',
    '13 connect(31<TCPv6:[1]>, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2a00:1450::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 EINPROGRESS',
    '14 sendmmsg(78<UDP:[10.0.0.2:40000->10.255.255.53:53]>, [{msg_hdr={msg_name=NULL, msg_namelen=0}}], 2, MSG_NOSIGNAL) = 2',
    '15 sendto(84<TCP:[127.0.0.1:42373->127.0.0.1:34850]>, "x", 1, MSG_NOSIGNAL, NULL, 0) = 1',
    '16 sendto(9<UDP:[5]>, "x", 1, 0, {sa_family=AF_INET, sin_port=htons(123), sin_addr=inet_addr("192.0.2.7")}, 16) = 1',
    '17 sendmsg(16<UNIX:[1->2]>, {msg_name=NULL, msg_namelen=0}, 0) = 64',
  ].join('\n');
  assert.deepEqual(beyondLoopback(trace).map((line) => line.split(' ')[0]), ['13', '14', '16']);
});

for (const engine of ENGINES) {
  test(`${engine}'s test profile reaches nothing beyond loopback`, { skip: engineSkip(engine) || noStrace, timeout: 180_000 }, async () => {
    const log = path.join(dir, `${engine}.strace`);
    const started = Date.now();
    const browser = await launchBrowser(engine, { wrapper: tracingWrapper(engine, log) });
    try {
      const { page } = browser;
      await page.goto(server.url);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
      await page.click('#bench-webgpu');
      await page.select('#bench-dag', 'small');
      await fill(page, '#bench-seconds', '2');
      await page.click('#bench-start');
      await page.waitForFunction(() => /^done/.test(document.querySelector('#bench-status')!.textContent ?? ''), { timeout: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + RUN_MS - Date.now())));
    } finally {
      await browser.close();
    }
    const trace = readFileSync(log, 'utf8');
    assert.match(trace, /connect\(\d+<TCP:[^>]*>, \{sa_family=AF_INET, sin_port=htons\(\d+\), sin_addr=inet_addr\("127\.0\.0\.1"\)/, 'the trace sees the page load');
    assert.deepEqual(beyondLoopback(trace), []);
  });
}
