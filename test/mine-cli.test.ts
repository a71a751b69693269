// `sero-miner mine` as a supervisor runs it: options from a config file with the command line
// winning, --print-config that round-trips, documented exit codes (1 bad config, 2 runtime
// failure, 5 watchdog gave up), the log file, and plain status lines when not on a terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './support/vectors.js';

const bin = path.join(repoRoot, 'bin/sero-miner.js');
const tmp = () => mkdtempSync(path.join(tmpdir(), 'sero-mine-cli-'));

function run(args: string[], timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += String(c)));
    child.stderr.on('data', (c) => (stderr += String(c)));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`timed out: ${stderr}`)); }, timeoutMs);
    child.once('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

test('a config file supplies the options, the command line wins, and --print-config round-trips', async () => {
  const dir = tmp();
  const file = path.join(dir, 'rig.json');
  writeFileSync(file, JSON.stringify({
    pool: ['stratum1+tcp://addr.rig1@127.0.0.1:1', 'stratum1+tcp://addr.rig1@127.0.0.1:2'],
    backend: ['webgpu', 'wasm'], devices: '0,1', 'api-port': -3333, 'api-allow-origin': ['http://farm.example:8080'],
    watchdog: 30, threads: 1, 'dag-load-mode': 'parallel', verbosity: 2,
  }));
  const printed = await run(['mine', '-c', file, '--api-port', '4000', '--watchdog-restarts', '7', '--print-config']);
  assert.equal(printed.code, 0, printed.stderr);
  const config = JSON.parse(printed.stdout);
  assert.deepEqual(config.pool, ['stratum1+tcp://addr.rig1@127.0.0.1:1', 'stratum1+tcp://addr.rig1@127.0.0.1:2']);
  assert.equal(config.backend, 'webgpu,wasm');
  assert.equal(config.devices, '0,1');
  assert.equal(config['api-port'], 4000, 'the command line wins');
  assert.equal(config['watchdog-restarts'], 7);
  assert.equal(config.watchdog, 30);
  assert.equal(config['watchdog-work'], 600, 'defaults are written too');
  assert.equal(config['dag-load-mode'], 'parallel');
  assert.deepEqual(config['api-allow-origin'], ['http://farm.example:8080']);
  assert.equal(config.verbosity, 2);
  assert.equal(config.config, undefined);

  const again = path.join(dir, 'printed.json');
  writeFileSync(again, printed.stdout);
  const second = await run(['mine', '-c', again, '--print-config']);
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(JSON.parse(second.stdout), config);
});

test('a bad config file or option exits 1 with the reason', async () => {
  const dir = tmp();
  const cases: [object | string, RegExp][] = [
    [{ 'api-prot': 3333 }, /unknown option "api-prot"/],
    [{ 'api-port': 0 }, /"api-port" expected a port \(1\.\.65535, negative for read-only\), got 0/],
    [{ backend: 'cuda' }, /"backend" unknown backend "cuda"/],
    [{ 'print-config': true }, /unknown option "print-config"/],
    ['{ not json', /config file .*rig\.json: /],
  ];
  for (const [content, message] of cases) {
    const file = path.join(dir, 'rig.json');
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    const r = await run(['mine', '-c', file, '--print-config']);
    assert.equal(r.code, 1, JSON.stringify(content));
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
  const bad = await run(['mine', '--api-port', '70000', '--print-config']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--api-port/);
});

test('an API port already taken is a runtime error: exit 2, everything closed', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const r = await run(['mine', '--backend', 'wasm', '--threads', '1', '--datadir', tmp(), '--api-port', String(port), '--duration', '30']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /EADDRINUSE/);
  } finally {
    blocker.close();
  }
});

test('the watchdog gives up on a pool that sends no new work: exit 5, plain lines, all in the log file', async () => {
  const dir = tmp();
  const logFile = path.join(dir, 'miner.log');
  const r = await run(['mine', '--backend', 'wasm', '--threads', '1', '--datadir', dir, '--watchdog-work', '1', '--watchdog-restarts', '1', '--log-file', logFile, '--duration', '50']);
  assert.equal(r.code, 5, r.stderr);
  assert.doesNotMatch(r.stderr, /\r|\x1b\[/, 'no status-line redraw off a terminal');
  assert.match(r.stderr, /watchdog: no new work for 1 s; restarting every device \(1\/1\)/);
  assert.match(r.stderr, /watchdog: no new work for 1 s, 1 times in a row; giving up/);
  assert.match(r.stdout, /^mined .* average; shares \d+ accepted/m);
  const logged = readFileSync(logFile, 'utf8');
  for (const line of r.stderr.trim().split('\n')) assert.ok(logged.includes(line), `log file lacks: ${line}`);
  assert.match(logged, /^\d{4}-\d\d-\d\dT[\d:.]+Z info  no pool given: starting the embedded devnet/m);
});
