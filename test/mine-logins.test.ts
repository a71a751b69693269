// Logins as a new user meets them: a mistyped SERO address is caught before anything starts
// (exit 1, saying what is wrong with it), a login a pool refuses is reported as refused (not as a
// failed connection) and the next pool is tried, and when every pool refuses it `mine` exits
// with code 6, as ethminer exits when no connection is left. --no-login-check sends a login that
// is not a SERO address to a pool with other logins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bin, startCommand, type RunningCommand } from './support/cli-process.js';
import { LOGIN } from './fixtures/net-helpers.js';

const DEVNET = ['devnet', '--json', '--dag', 'small', '--stratum-port', '0', '--rpc-port', '0', '--no-stratum-tls', '--no-stratum-ws', '--difficulty', '8000'];
const MINE = ['--dag', 'small', '--backend', 'wasm', '--threads', '1'];

function run(args: string[], timeoutMs = 90_000): Promise<{ code: number | null; stdout: string; stderr: string; seconds: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += String(c)));
  child.stderr.on('data', (c) => (stderr += String(c)));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => child.once('exit', (code) => {
    clearTimeout(timer);
    resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 });
  }));
}

async function withDevnet(args: string[], use: (stratum: string) => Promise<void>): Promise<void> {
  const devnet: RunningCommand = await startCommand([...DEVNET, ...args]);
  try {
    await use(String(devnet.ready.stratum));
  } finally {
    devnet.child.kill('SIGTERM');
    await devnet.exited;
  }
}

const poolOf = (stratum: string, login: string) => stratum.replace('://', `://${login}@`);

test('a mistyped SERO address is caught before anything starts: exit 1, saying what is wrong', async () => {
  const datadir = path.join(mkdtempSync(path.join(tmpdir(), 'sero-login-')), 'data');
  const cases: [string, RegExp][] = [
    [`${LOGIN}x`, /decodes to 65 bytes; a SERO address is the base58 text of a 64-byte PK or a 96-byte PKr/],
    [LOGIN.slice(0, -2), /decodes to 63 bytes/],
    [`${LOGIN.slice(0, 10)}0${LOGIN.slice(11)}`, /"0" at character 11, which base58 does not use/],
    ['devnet-miner', /"-" at character 7, which base58 does not use/],
  ];
  for (const [login, why] of cases) {
    const r = await run(['mine', '-P', `stratum1+tcp://${login}.rig01@127.0.0.1:1`, ...MINE, '--datadir', datadir, '--duration', '30'], 20_000);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^error: the login of stratum1\+tcp:\/\/.*@127\.0\.0\.1:1 is not a SERO address: /m);
    assert.match(r.stderr, why);
    assert.match(r.stderr, /--no-login-check/, 'the way out for a pool with other logins is named');
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.equal(existsSync(datadir), false, 'nothing was started or written');
  }
});

test('a login the pool refuses is reported as refused and the next pool is tried', () =>
  withDevnet(['--strict-login'], (strict) => withDevnet([], async (open) => {
    const r = await run(['mine', '-P', poolOf(strict, 'devnet-miner.rig01'), '-P', poolOf(open, 'devnet-miner.rig01'), '--no-login-check', ...MINE,
      '--datadir', mkdtempSync(path.join(tmpdir(), 'sero-login-')), '--duration', '15']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /stratum1\+tcp:\/\/devnet-miner\.rig01@127\.0\.0\.1:\d+ refused the login "devnet-miner": -1 Invalid login/);
    assert.doesNotMatch(r.stderr, /cannot connect/);
    assert.match(r.stderr, /share 0x[0-9a-f]{16} accepted/, 'the second pool takes the login and the shares');
  })));

test('every pool refuses the login: mine exits with code 6 at once, naming each refusal', () =>
  withDevnet(['--strict-login'], async (strict) => {
    const r = await run(['mine', '-P', poolOf(strict, 'devnet-miner.a'), '-P', poolOf(strict, 'devnet-miner.b'), '--no-login-check', ...MINE,
      '--datadir', mkdtempSync(path.join(tmpdir(), 'sero-login-')), '--duration', '60']);
    assert.equal(r.code, 6, r.stderr);
    assert.ok(r.seconds < 40, `it stops when the last pool refuses, not at --duration: ${r.seconds} s`);
    assert.equal(r.stderr.match(/refused the login "devnet-miner": -1 Invalid login/g)?.length, 2, r.stderr);
    assert.match(r.stderr, /every pool refused the login: stopping with exit code 6/);
  }));
