// The farm-OS package as a farm OS runs it: `npm run package`'s archive unpacked in a clean
// directory, on a PATH with no node; HiveOS' variables set; h-config.sh sourced, h-run.sh mining
// on a devnet, h-stats.sh sourced: khs > 0 and stats whose share counts are the API's. mmpOS'
// mmp-stats.sh reads the same miner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startDevnet } from '../src/devnet/index.js';
import { silentLogger } from '../src/util/log.js';
import { VERSION } from '../src/util/version.js';
import { freePort, TcpRpcClient } from './support/api-client.js';
import { repoRoot } from './support/vectors.js';

const run = promisify(execFile);

/** A PATH with only the tools the package's scripts use, none of them node. */
function toolsOnlyPath(dir: string): string {
  mkdirSync(dir);
  for (const tool of ['bash', 'sh', 'dirname', 'readlink', 'mkdir']) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    assert.ok(found, `${tool} is needed on this machine`);
    symlinkSync(found, path.join(dir, tool));
  }
  return dir;
}

test('HiveOS: the package unpacked with no node on PATH configures, mines on the devnet and reports stats the API agrees with; mmpOS too', async (t) => {
  const work = mkdtempSync(path.join(tmpdir(), 'sero-farm-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const built = performance.now();
  const packaged = await run(process.execPath, [path.join(repoRoot, 'scripts/package.js'), '--out', path.join(work, 'out'), '--formats', 'farm', '--gzip-level', '1'], { maxBuffer: 1 << 20 });
  const report = JSON.parse(packaged.stdout.trim().split('\n').at(-1)!) as { archives: { file: string; size: string }[] };
  const archive = path.join(work, 'out', `sero-miner-${VERSION}.tar.gz`);
  assert.ok(existsSync(archive), packaged.stdout);
  t.diagnostic(`packaged in ${Math.round(performance.now() - built)} ms: ${JSON.stringify(report.archives)}`);

  // a clean directory, unpacked as HiveOS' custom-get does
  const hive = path.join(work, 'hive');
  mkdirSync(hive);
  await run('tar', ['-xzf', archive, '-C', hive]);
  const minerDir = path.join(hive, 'sero-miner');
  for (const file of ['h-manifest.conf', 'h-config.sh', 'h-run.sh', 'h-stats.sh', 'mmp-stats.sh', 'sero-miner', 'runtime/node']) assert.ok(existsSync(path.join(minerDir, file)), file);

  const devnet = await startDevnet({ dag: 'small', initialDifficulty: 80_000n, shareDifficulty: 10_000n, stratumTlsPort: null, stratumWsPort: null, logger: silentLogger });
  const apiPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: toolsOnlyPath(path.join(work, 'bin')),
    HOME: path.join(work, 'home'),
    CUSTOM_URL: devnet.endpoints.stratum,
    CUSTOM_TEMPLATE: 'devnet-miner.hive',
    CUSTOM_PASS: 'x',
    CUSTOM_USER_CONFIG: `--backend wasm --threads 1\n--dag small --datadir ${path.join(work, 'data')}`,
    SERO_MINER_API_PORT: String(apiPort),
    SERO_MINER_LOG_BASENAME: path.join(work, 'log', 'sero-miner'),
  };
  const bash = (script: string) => run(path.join(env.PATH!, 'bash'), ['-c', script], { cwd: minerDir, env });
  await assert.rejects(bash('command -v node'), 'node is not reachable in the environment the scripts run in');

  // HiveOS sources h-config.sh, then runs h-run.sh in the miner's directory
  await bash('. ./h-config.sh');
  const config = readFileSync(path.join(minerDir, 'sero-miner.conf'), 'utf8').split('\n');
  assert.deepEqual(config.slice(0, 2), ['-P', devnet.endpoints.stratum.replace('://', '://devnet-miner.hive:x@')]);
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
    assert.equal(stats!.temp.length, 1);
    assert.ok(Number.isInteger(stats!.uptime));

    // share counts as the API's getstat1 has them, read while nothing changed in between
    const api = await TcpRpcClient.connect(apiPort);
    try {
      for (let tries = 0; ; tries++) {
        const before = (await api.call('miner_getstat1')).result[2] as string;
        const during = await hStats();
        const after = (await api.call('miner_getstat1')).result[2] as string;
        if (before === after) {
          const [, accepted, rejected] = before.split(';').map(Number);
          assert.deepEqual(during.stats!.ar, [accepted, rejected]);
          break;
        }
        assert.ok(tries < 20, 'the share counts never held still');
      }
    } finally {
      api.close();
    }

    // mmpOS' agent runs mmp-stats.sh for the same miner
    const mmp = JSON.parse((await run(path.join(minerDir, 'mmp-stats.sh'), ['1', 'log'], { cwd: minerDir, env })).stdout) as Record<string, any>;
    assert.deepEqual(mmp.busid, ['cpu']);
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
