// `sero-miner mine` against a TLS pool with a private CA: refused with a hint naming the ways
// out; --tls-ca, --tls-insecure and serominer's SSL_CERT_FILE / SSL_NOVERIFY each get through.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { StratumServer } from '../src/net/server/stratum/server.js';
import { FakeProvider, LOGIN, TLS_CERT, TLS_KEY, captureLog, makeWork } from './fixtures/net-helpers.js';
import { repoRoot } from './support/vectors.js';

const run = promisify(execFile);
const bin = path.join(repoRoot, 'bin/sero-miner.js');
const caFile = path.join(repoRoot, 'test/fixtures/net-tls-localhost.crt');
const provider = new FakeProvider();
const server = new StratumServer({ provider, logger: captureLog().logger });
const datadir = mkdtempSync(path.join(tmpdir(), 'sero-tls-'));
let pool = '';

before(async () => {
  provider.publish(makeWork(940410, 0x11));
  const { port } = await server.listen({ transport: 'tls', tls: { key: TLS_KEY, cert: TLS_CERT } });
  pool = `stratum1+ssl://${LOGIN}.tls@127.0.0.1:${port}`;
});
after(async () => {
  await server.close();
  rmSync(datadir, { recursive: true, force: true });
});

/** Runs `mine` for a second against the pool; resolves with what it logged. */
async function mine(args: string[], env: Record<string, string> = {}): Promise<string> {
  const base = ['mine', '-P', pool, '--dag', 'small', '--backend', 'wasm', '--threads', '1', '--duration', '1', '--datadir', datadir];
  const { stderr } = await run(process.execPath, [bin, ...base, ...args], { env: { ...process.env, SSL_NOVERIFY: '', SSL_CERT_FILE: '', ...env } });
  return stderr;
}

test('mine --help names --tls-ca and --tls-insecure beside SSL_CERT_FILE and SSL_NOVERIFY', async () => {
  const { stdout } = await run(process.execPath, [bin, 'mine', '--help']);
  for (const name of ['--tls-ca <file>', '--tls-insecure', 'SSL_CERT_FILE', 'SSL_NOVERIFY']) assert.ok(stdout.includes(name), `${name} missing from:\n${stdout}`);
});

test('an untrusted certificate is refused, and the error names the flags and variables', async () => {
  const log = await mine([]);
  assert.match(log, /cannot connect to stratum1\+ssl:\/\/.*self[- ]signed certificate.*--tls-ca <file> \(or SSL_CERT_FILE=<file>\).*--tls-insecure \(or SSL_NOVERIFY=1\)/);
  assert.doesNotMatch(log, /logged in as/);
});

test('--tls-ca, --tls-insecure, SSL_CERT_FILE and SSL_NOVERIFY each connect', async () => {
  for (const [args, env] of [
    [['--tls-ca', caFile], {}],
    [['--tls-insecure'], {}],
    [[], { SSL_CERT_FILE: caFile }],
    [[], { SSL_NOVERIFY: '1' }],
  ] as const) {
    const log = await mine([...args], env);
    assert.match(log, /logged in as/, `${args.join(' ')} ${JSON.stringify(env)}:\n${log}`);
  }
});

test('an unreadable --tls-ca file is a clear error before anything starts', async () => {
  await assert.rejects(mine(['--tls-ca', path.join(datadir, 'missing.pem')]), (err: { code: number; stderr: string }) => {
    assert.notEqual(err.code, 0);
    assert.match(err.stderr, /cannot read the CA file .*missing\.pem \(--tls-ca\)/);
    return true;
  });
});
