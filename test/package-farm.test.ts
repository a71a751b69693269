// The farm-OS packages as farm OSes run them: `npm run package`'s archives unpacked in a clean
// directory, on a PATH with no node. HiveOS: its variables set, h-config.sh sourced, h-run.sh
// mining on a devnet, h-stats.sh sourced: khs > 0 and stats whose share counts are the API's;
// mmpOS' mmp-stats.sh reads the same miner. RaveOS: start.py's command line mines, stats.py
// reports it (a stand-in for RaveOS' ravinos module drives both).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startDevnet } from '../src/devnet/index.js';
import { silentLogger } from '../src/util/log.js';
import { VERSION } from '../src/util/version.js';
import { freePort, TcpRpcClient } from './support/api-client.js';
import { repoRoot } from './support/vectors.js';
import { LOGIN } from './fixtures/net-helpers.js';

const run = promisify(execFile);

/** A PATH with only the tools the package's scripts use, none of them node. */
function toolsOnlyPath(dir: string, tools = ['bash', 'sh', 'dirname', 'readlink', 'mkdir']): string {
  mkdirSync(dir);
  for (const tool of tools) {
    // python3 may be a wrapper script (pyenv): link the interpreter it runs
    const found = tool === 'python3'
      ? spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim()
      : spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    assert.ok(found, `${tool} is needed on this machine`);
    symlinkSync(found, path.join(dir, tool));
  }
  return dir;
}

const work = mkdtempSync(path.join(tmpdir(), 'sero-farm-'));
process.once('exit', () => rmSync(work, { recursive: true, force: true }));
let packagedIn = '';

before(async () => {
  const started = performance.now();
  const packaged = await run(process.execPath, [path.join(repoRoot, 'scripts/package.js'), '--out', path.join(work, 'out'), '--formats', 'farm,raveos', '--gzip-level', '1'], { maxBuffer: 1 << 20 });
  const report = JSON.parse(packaged.stdout.trim().split('\n').at(-1)!) as { archives: { file: string; size: string }[] };
  packagedIn = `packaged in ${Math.round(performance.now() - started)} ms: ${JSON.stringify(report.archives.map((a) => ({ file: path.basename(a.file), size: a.size })))}`;
});

test('HiveOS: the package unpacked with no node on PATH configures, mines on the devnet and reports stats the API agrees with; mmpOS too', async (t) => {
  t.diagnostic(packagedIn);
  const archive = path.join(work, 'out', `sero-miner-${VERSION}.tar.gz`);
  assert.ok(existsSync(archive));

  // a clean directory, unpacked as HiveOS' custom-get does
  const hive = path.join(work, 'hive');
  mkdirSync(hive);
  await run('tar', ['-xzf', archive, '-C', hive]);
  const minerDir = path.join(hive, 'sero-miner');
  for (const file of ['h-manifest.conf', 'h-config.sh', 'h-run.sh', 'h-stats.sh', 'mmp-stats.sh', 'sero-miner', 'runtime/node']) assert.ok(existsSync(path.join(minerDir, file)), file);

  const devnet = await startDevnet({ dag: 'small', initialDifficulty: 80_000n, shareDifficulty: 10_000n, stratumTlsPort: null, stratumWsPort: null, logger: silentLogger });
  const apiPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: toolsOnlyPath(path.join(work, 'hive-bin')),
    HOME: path.join(work, 'hive-home'),
    CUSTOM_URL: devnet.endpoints.stratum,
    CUSTOM_TEMPLATE: `${LOGIN}.hive`,
    CUSTOM_PASS: 'x',
    CUSTOM_USER_CONFIG: `--backend wasm --threads 1\n--dag small --datadir ${path.join(work, 'hive-data')}`,
    SERO_MINER_API_PORT: String(apiPort),
    SERO_MINER_LOG_BASENAME: path.join(work, 'log', 'sero-miner'),
    // the rig's CPU temperature chip, recorded (k10temp, Tdie 48.25 °C)
    SERO_MINER_SYSFS_ROOT: path.join(repoRoot, 'test/fixtures/sysfs'),
  };
  const bash = (script: string) => run(path.join(env.PATH!, 'bash'), ['-c', script], { cwd: minerDir, env });
  await assert.rejects(bash('command -v node'), 'node is not reachable in the environment the scripts run in');

  // HiveOS sources h-config.sh, then runs h-run.sh in the miner's directory
  await bash('. ./h-config.sh');
  const config = readFileSync(path.join(minerDir, 'sero-miner.conf'), 'utf8').split('\n');
  assert.deepEqual(config.slice(0, 2), ['-P', devnet.endpoints.stratum.replace('://', `://${LOGIN}.hive:x@`)]);
  const miner = spawn(path.join(minerDir, 'h-run.sh'), [], { cwd: minerDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  miner.stdout.on('data', (c) => (output += String(c)));
  miner.stderr.on('data', (c) => (output += String(c)));
  const exited = new Promise<number | null>((resolve) => miner.once('exit', (code) => resolve(code)));
  try {
    // the agent sources h-stats.sh every few seconds; wait until the miner hashes and has shares
    const hStats = async () => {
      const { stdout } = await bash('. ./h-stats.sh; printf "%s\\n%s\\n" "$khs" "$stats"');
      const [khs, stats] = stdout.trim().split('\n');
      return { khs: Number(khs), stats: JSON.parse(stats!) as Record<string, any> | null };
    };
    const deadline = Date.now() + 120_000;
    let seen = await hStats();
    while (!(seen.khs > 0 && seen.stats && seen.stats.ar[0] > 0)) {
      assert.ok(Date.now() < deadline, `no hashrate and shares in h-stats.sh: ${JSON.stringify(seen)}\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      seen = await hStats();
    }
    const { stats } = seen;
    t.diagnostic(`h-stats.sh: khs=${seen.khs} stats=${JSON.stringify(stats)}`);
    assert.equal(stats!.hs_units, 'hs');
    assert.equal(stats!.hs.length, 1);
    assert.ok(stats!.hs[0] > 0);
    assert.deepEqual(stats!.bus_numbers, [null], 'the CPU has no PCI bus');
    assert.equal(stats!.algo, 'progpow');
    assert.equal(stats!.ver, VERSION);
    assert.deepEqual([stats!.temp, stats!.fan], [[48], [null]], 'the CPU\'s temperature from its hwmon chip; its fan is not read');
    assert.ok(Number.isInteger(stats!.uptime));

    // share counts as the API's getstat1 has them: counts only grow, so h-stats.sh's lie between
    // getstat1's read just before and just after it (equal to both when no share came meanwhile)
    const counted = await sharesAround(apiPort, hStats);
    const [accepted, rejected] = counted.during.stats!.ar as [number, number];
    assertBetween(counted, { accepted, rejected });

    // mmpOS' agent runs mmp-stats.sh for the same miner
    const mmp = JSON.parse((await run(path.join(minerDir, 'mmp-stats.sh'), ['1', 'log'], { cwd: minerDir, env })).stdout) as Record<string, any>;
    assert.deepEqual(mmp.busid, ['cpu']);
    assert.deepEqual(mmp.temp, [48]);
    assert.equal(mmp.units, 'hs');
    assert.equal(mmp.miner_version, VERSION);
    assert.equal(mmp.air.length, 3);
    assert.ok(existsSync(`${env.SERO_MINER_LOG_BASENAME}.log`), 'the log is where HiveOS rotates it');
  } finally {
    miner.kill('SIGTERM');
    const code = await exited;
    await devnet.close();
    assert.equal(code, 0, output);
  }
  // the miner gone, the agent gets khs=0 and stats=null rather than an error
  const { stdout } = await bash('. ./h-stats.sh; printf "%s %s" "$khs" "$stats"');
  assert.equal(stdout, '0 null');
});

interface ShareTotals { readonly accepted: number; readonly rejected: number }

/** Share totals read by a farm agent lie between getstat1's just before and just after (they only grow). */
function assertBetween(counted: { before: ShareTotals; after: ShareTotals }, read: ShareTotals): void {
  for (const key of ['accepted', 'rejected'] as const) {
    assert.ok(counted.before[key] <= read[key] && read[key] <= counted.after[key], `${key} ${read[key]} outside getstat1's ${counted.before[key]}..${counted.after[key]}`);
  }
}

/** getstat1's share totals ("kH/s;accepted;rejected") read just before and just after `probe`. */
async function sharesAround<T>(apiPort: number, probe: () => Promise<T>): Promise<{ before: ShareTotals; after: ShareTotals; during: T }> {
  const api = await TcpRpcClient.connect(apiPort);
  const totals = async (): Promise<ShareTotals> => {
    const [, accepted, rejected] = ((await api.call('miner_getstat1')).result[2] as string).split(';').map(Number);
    return { accepted: accepted!, rejected: rejected! };
  };
  try {
    const before = await totals();
    const during = await probe();
    return { before, during, after: await totals() };
  } finally {
    api.close();
  }
}

test('RaveOS: the ZIP unpacked (executable bits lost), start.py\'s command line mines on the devnet, stats.py reports the API\'s shares and each GPU\'s hashrate on its MPU', async () => {
  const rave = path.join(work, 'rave');
  await run('python3', ['-m', 'zipfile', '-e', path.join(work, 'out', `sero-miner-${VERSION}.zip`), rave]);
  const manifest = JSON.parse(readFileSync(path.join(rave, 'RAVINOS/manifest.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(manifest.package, `sero-miner-${VERSION}`);
  const devnet = await startDevnet({ dag: 'small', initialDifficulty: 80_000n, shareDifficulty: 10_000n, stratumTlsPort: null, stratumWsPort: null, logger: silentLogger });
  const apiPort = await freePort();
  const file = (name: string, value: unknown) => { const p = path.join(work, name); writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value)); return p; };
  const [host, port] = devnet.endpoints.stratum.replace(/^.*:\/\//, '').split(':');
  const env: NodeJS.ProcessEnv = {
    PATH: toolsOnlyPath(path.join(work, 'rave-bin'), ['sh', 'dirname', 'readlink', 'python3']),
    HOME: path.join(work, 'rave-home'),
    PYTHONPATH: path.join(repoRoot, 'test/fixtures/raveos'),
    PYTHONDONTWRITEBYTECODE: '1',
    RAVINOS_OUT: path.join(work, 'ravinos-out'),
    RAVINOS_CONFIG: file('ravinos-config.json', {
      auth_config: { login: LOGIN, ewal: LOGIN, worker: 'rave', email: '', pass: 'x' },
      coins: [{ coin_id: 1, pools: [{ url: `${host}:${port}`, user: '', password: '', pool_type: 17 }], algo: 'progpow', name: 'SERO' }],
      work_dir: rave, miner_dir: rave, api_port: apiPort, log_file: path.join(work, 'rave.log'),
      args: `--backend wasm --threads 1 --dag small --datadir ${path.join(work, 'rave-data')}`,
      mpus: [], platform: 'nvidia',
    }),
  };
  await run(path.join(env.PATH!, 'python3'), [path.join(rave, 'RAVINOS/start.py')], { env });
  const commandLine = readFileSync(env.RAVINOS_OUT!, 'utf8');
  assert.match(commandLine, new RegExp(`-P stratum1\\+tcp://${LOGIN}\\.rave:x@${host}:${port} --api-port=-${apiPort}`));
  const miner = spawn(path.join(env.PATH!, 'sh'), ['-c', `exec ${commandLine}`], { cwd: rave, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  miner.stderr.on('data', (c) => (output += String(c)));
  const exited = new Promise<number | null>((resolve) => miner.once('exit', (code) => resolve(code)));
  try {
    const stats = async (extra: NodeJS.ProcessEnv = {}) => {
      await run(path.join(env.PATH!, 'python3'), [path.join(rave, 'RAVINOS/stats.py')], { env: { ...env, ...extra } });
      return JSON.parse(readFileSync(env.RAVINOS_OUT!, 'utf8')) as { shares: { accepted: number; invalid: number; rejected: number }; mpu: Record<string, unknown>[] };
    };
    env.RAVINOS_STATS = file('ravinos-stats.json', { api_port: apiPort, mpu: [] });
    const deadline = Date.now() + 120_000;
    while (!((await stats().catch(() => undefined))?.shares.accepted ?? 0)) {
      assert.ok(Date.now() < deadline, `no accepted share in stats.py\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const counted = await sharesAround(apiPort, () => stats());
    assertBetween(counted, counted.during.shares);
  } finally {
    miner.kill('SIGTERM');
    const code = await exited;
    await devnet.close();
    assert.equal(code, 0, output);
  }
  // a GPU's figures land on the MPU RaveOS lists at its bus address (a recorded /api/status)
  const gpu = { backend: 'webgpu', hashrate: 31_500_000, pci: '0000:0b:00.0', sensors: { temperature: 61.4, fan: 40, power: 187 }, shares: { accepted: 7, stale: 0, rejected: 1, failed: 0 } };
  const canned = file('status.json', { devices: [gpu], shares: { accepted: 7, stale: 0, rejected: 1, failed: 0 } });
  env.RAVINOS_STATS = file('ravinos-stats.json', { api_port: apiPort, mpu: [{ id: 0, pci: '01:00.0', type: 'NVIDIA' }, { id: 1, pci: '0b:00.0', type: 'AMD' }] });
  await run(path.join(env.PATH!, 'python3'), [path.join(rave, 'RAVINOS/stats.py')], { env: { ...env, RAVINOS_HTTP_FILE: canned } });
  const reported = JSON.parse(readFileSync(env.RAVINOS_OUT!, 'utf8')) as { mpu: Record<string, unknown>[] };
  assert.deepEqual(reported.mpu, [
    { id: 0, pci: '01:00.0', type: 'NVIDIA' },
    { id: 1, pci: '0b:00.0', type: 'AMD', hash_rate1: 31_500_000, temp: 61, shares: { accepted: 7, invalid: 0, rejected: 1 } },
  ]);
});
