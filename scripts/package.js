#!/usr/bin/env node
// `npm run package`: sero-miner for machines without Node or a network (farm OSes). Stages the
// built app (dist/src, build/, kernels/), its production dependencies with this platform's
// native addons only (Dawn, LevelDB), the Node.js binary that runs this script and a launcher,
// then writes release/sero-miner-<version>-<platform>-<arch>.tar.gz, the farm-OS package
// release/sero-miner-<version>.tar.gz (sero-miner/ with HiveOS' h-*.sh and mmpOS' mmp-*.sh)
// and RaveOS' release/sero-miner-<version>.zip (RAVINOS/ with manifest.json, start.py, stats.py).
//   --out <dir>           where the archives go (default: release/)
//   --formats a,b         linux (the plain archive), farm (HiveOS and mmpOS), raveos; default all
//   --gzip-level <1-9>    compression (default 6; 1 is several times faster)
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { zipDirectory } from './zip.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { out: { type: 'string' }, formats: { type: 'string' }, 'gzip-level': { type: 'string' } } });
const out = values.out ?? join(root, 'release');
const formats = new Set((values.formats ?? 'linux,farm,raveos').split(',').map((s) => s.trim()));
const level = Number(values['gzip-level'] ?? 6);
for (const f of formats) if (!['linux', 'farm', 'raveos'].includes(f)) fail(`unknown format ${f} (linux, farm, raveos)`);
if (!Number.isInteger(level) || level < 1 || level > 9) fail('--gzip-level takes 1 to 9');

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const platform = `${process.platform}-${process.arch}`;
if (process.platform !== 'linux') fail(`the farm packages are for Linux; this is ${platform}`);
for (const needed of ['dist/src/cli/main.js', 'build/progpow.wasm', 'build/web/index.html']) {
  if (!existsSync(join(root, needed))) fail(`${needed} is missing: run "npm run build" first`);
}

const started = performance.now();
const stage = join(out, 'stage');
rmSync(stage, { recursive: true, force: true });
const appName = `sero-miner-${pkg.version}-${platform}`;
const top = join(stage, appName);
const app = join(top, 'app');

/** Copies a tree, leaving out source maps (the stack traces name the compiled files well enough). */
const copyTree = (from, to, keep = () => true) => cpSync(from, to, { recursive: true, filter: (src) => !src.endsWith('.map') && keep(src) });

// the app as npm would lay it out, minus tests, benchmarks and sources
for (const file of ['package.json', 'README.md']) copyTree(join(root, file), join(app, file));
for (const dir of ['bin', 'build', 'kernels', 'dist/src', 'grafana']) copyTree(join(root, dir), join(app, dir));

// production dependencies, from the lockfile, as they are installed here (nothing is downloaded)
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const production = Object.entries(lock.packages).filter(([key, info]) => key.startsWith('node_modules/') && !info.dev).map(([key]) => key);
/** Other platforms' native builds and what only a rebuild or an editor reads. */
const PRUNED = [
  /^node_modules\/webgpu\/dist\/(?!PLATFORM$)[^/]+$/,
  /^node_modules\/webgpu\/build$/,
  /^node_modules\/classic-level\/prebuilds\/(?!PLATFORM$)[^/]+$/,
  /^node_modules\/classic-level\/(deps|binding\.cc|binding\.gyp)$/,
  /\.(md|d\.ts|map|cc|h|gyp)$/i,
].map((re) => new RegExp(re.source.replace('PLATFORM', platform), 'i'));
const keepFile = (src) => {
  const rel = relative(root, src).split('\\').join('/');
  return /(^|\/)(LICENSE|LICENCE|COPYING)[^/]*$/i.test(rel) || !PRUNED.some((re) => re.test(rel));
};
for (const dir of production) {
  const from = join(root, dir);
  if (!existsSync(from)) continue;
  // nested node_modules are entries of their own in the lockfile
  copyTree(from, join(app, dir), (src) => keepFile(src) && !relative(from, src).split('/').includes('node_modules'));
}
for (const platformDir of [join(app, 'node_modules/webgpu/dist', platform), join(app, 'node_modules/classic-level/prebuilds', platform)]) {
  if (!existsSync(platformDir)) fail(`${relative(app, platformDir)} is missing: no native build of it for ${platform}`);
}

// the runtime: this Node.js binary, and the launcher that runs the app with it
mkdirSync(join(top, 'runtime'), { recursive: true });
const node = join(top, 'runtime', 'node');
copyFileSync(process.execPath, node);
chmodSync(node, 0o755);
// its debugging symbols are a tenth of the archive; the dynamic symbols the native addons link against stay
const stripped = spawnSync('strip', ['--strip-unneeded', node]).status === 0;
for (const license of ['/usr/share/doc/nodejs/LICENSE', join(dirname(process.execPath), '..', 'LICENSE')]) {
  if (existsSync(license)) {
    copyFileSync(license, join(top, 'runtime', 'LICENSE'));
    break;
  }
}
const template = (file) => readFileSync(join(root, 'packaging', file), 'utf8').replaceAll('@VERSION@', pkg.version).replaceAll('@NODE_VERSION@', process.version);
writeFileSync(join(top, 'sero-miner'), template('sero-miner'), { mode: 0o755 });
writeFileSync(join(top, 'runtime', 'VERSION'), `${process.version}\n`);

/** tar | gzip of one directory of the stage, as root-owned files in name order. */
function archive(dirName, file) {
  const target = join(out, file);
  const tar = spawnSync('sh', ['-c', 'tar --sort=name --owner=0 --group=0 --numeric-owner -C "$1" -cf - "$2" | gzip -"$3" > "$4"', 'sh', stage, dirName, String(level), target], { stdio: 'inherit' });
  if (tar.status !== 0) fail(`tar failed for ${file}`);
  return target;
}

const made = [];
if (formats.has('linux')) made.push(archive(appName, `${appName}.tar.gz`));
if (formats.has('farm')) {
  // HiveOS wants <name>-<version>.tar.gz holding <name>/ with its h-*.sh beside the miner; mmpOS takes the same archive
  const farm = join(stage, 'sero-miner');
  cpSync(top, farm, { recursive: true, verbatimSymlinks: true });
  for (const [dir, files] of [['hiveos', ['h-manifest.conf', 'h-config.sh', 'h-run.sh', 'h-stats.sh']], ['mmpos', ['mmp-external.conf', 'mmp-miner.sh', 'mmp-stats.sh']]]) {
    for (const file of files) writeFileSync(join(farm, file), template(join(dir, file)), { mode: file.endsWith('.sh') ? 0o755 : 0o644 });
  }
  made.push(archive('sero-miner', `sero-miner-${pkg.version}.tar.gz`));
}
if (formats.has('raveos')) {
  // RaveOS unpacks the ZIP as the miner's directory: the miner at the top, its scripts in RAVINOS/
  const rave = join(stage, 'raveos');
  cpSync(top, rave, { recursive: true, verbatimSymlinks: true });
  mkdirSync(join(rave, 'RAVINOS'));
  for (const file of ['manifest.json', 'start.py', 'stats.py']) writeFileSync(join(rave, 'RAVINOS', file), template(join('raveos', file)));
  const zip = join(out, `sero-miner-${pkg.version}.zip`);
  zipDirectory(rave, zip, level);
  made.push(zip);
}
rmSync(stage, { recursive: true, force: true });

const size = (file) => `${(statSync(file).size / 2 ** 20).toFixed(1)} MiB`;
console.log(JSON.stringify({ seconds: Math.round((performance.now() - started) / 100) / 10, gzipLevel: level, node: process.version, stripped, archives: made.map((f) => ({ file: relative(root, f), size: size(f) })) }));
