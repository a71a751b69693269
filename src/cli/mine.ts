// `sero-miner mine`: the main job. With no pool it starts the embedded devnet in-process
// (small DAG, seed profile) and mines against it, so a fresh machine shows the whole cycle.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { Option } from 'commander';
import type { SearchBackend } from '../backends/backend.js';
import type { DeviceSlot } from '../backends/select.js';
import { sensorTargetOf } from '../sensors/adapter-match.js';
import { dagStage } from '../miner/dag-stage.js';
import { epochOf, periodOf, type DagMode } from '../pow/epoch.js';
import { DEFAULT_PROFILE, PROFILE_NAMES, type ProfileName } from '../chain/profile.js';
import { parsePoolUri, describePoolUri } from '../net/wire/uri.js';
import type { Logger } from '../util/log.js';
import type { SensorReading } from '../sensors/reading.js';
import { startDevnet, type Devnet } from '../devnet/index.js';
import { startMiningSession, type MiningSession } from '../miner/session.js';
import { Ledger } from '../miner/reward-ledger.js';
import { totalsOf } from '../miner/ledger-chains.js';
import { unsavedWarning } from '../miner/ledger-log.js';
import { noShares } from '../miner/share-counts.js';
import { describeShares, formatStatus, formatHashrate, formatShares } from '../miner/status-line.js';
import { formatSero } from '../util/sero-amount.js';
import { formatNonce } from '../util/hex.js';
import { collect, dagModeArg, positiveIntArg } from './args.js';
import { DEFAULT_DATADIR, devnetDirOf, ledgerDirOf } from './datadir.js';
import { atRuntime, EXIT_CODES, UsageError, type ExitCode } from './exit-codes.js';
import { addRigOptions, resolveRigConfig, startRigServices, type RigOptions } from './rig-options.js';
import { addSerominerOptions, benchmarkBlock, deviceTypeBackends, poolSettings, type SerominerOptions } from './serominer-options.js';
import { startStatusOutput } from './status-output.js';
import { logNativeLines } from './terminal.js';
import { devicesFor, poolsOf, reserveApiPort } from './mine-preflight.js';
import { printDevices } from './devices.js';
import { runBench } from './bench.js';
import { listDevices } from '../backends/devices.js';

interface MineOptions extends RigOptions, SerominerOptions {
  pool?: string[];
  threads?: number;
  dag?: DagMode;
  datadir: string;
  duration?: number;
  node?: string;
  nodePoll: number;
  profile: ProfileName;
  worker: string;
  tlsInsecure?: boolean;
  tlsCa?: string;
  loginCheck: boolean;
}

/** About 10 s per block on two CPU cores (WASM or lavapipe); the devnet retargets from there. */
const EMBEDDED_DEVNET_DIFFICULTY = 300_000n;

/** Opens the devices one after another, closing those already open if one fails. */
async function openDevices(slots: readonly DeviceSlot[]): Promise<SearchBackend[]> {
  const open: SearchBackend[] = [];
  try {
    for (const slot of slots) open.push(await slot.open());
  } catch (err) {
    await Promise.all(open.map((b) => b.close().catch(() => undefined)));
    throw err;
  }
  return open;
}

/**
 * Certificate checks of stratum1+ssl/wss pools: --tls-ca adds a CA, --tls-insecure accepts any
 * certificate; serominer's SSL_CERT_FILE and SSL_NOVERIFY environment variables do the same.
 */
function tlsSettings(opts: MineOptions): { rejectUnauthorized?: boolean; ca?: Buffer } {
  const tls: { rejectUnauthorized?: boolean; ca?: Buffer } = {};
  if (opts.tlsInsecure || process.env.SSL_NOVERIFY) tls.rejectUnauthorized = false;
  const caFile = opts.tlsCa ?? process.env.SSL_CERT_FILE;
  if (caFile) {
    try {
      tls.ca = readFileSync(caFile);
    } catch (err) {
      throw new UsageError(`cannot read the CA file ${caFile} (${opts.tlsCa ? '--tls-ca' : 'SSL_CERT_FILE'}): ${(err as Error).message}`);
    }
  }
  return tls;
}

export function register(program: Command): void {
  const command = program
    .command('mine')
    .description('mine SERO: against pools (-P), or the embedded devnet when none is given')
    .option('-P, --pool <uri>', 'pool or node URI (stratum1+tcp|ssl|ws|wss://user.worker:pass@host:port, http://host:port); repeat for failover', collect)
    .option('--threads <n>', 'CPU threads for the WASM backend (default: all cores)', positiveIntArg)
    .option('--dag <mode>', 'DAG sizes: full, or small (only against the devnet; its default)', dagModeArg)
    .option('--datadir <dir>', 'ledger, DAG files and the embedded devnet (with its own ledger) live here', DEFAULT_DATADIR)
    .option('--duration <s>', 'stop after this many seconds', positiveIntArg)
    .option('--node <url>', 'node JSON-RPC URL (the node behind the pool): tells which shares are blocks and follows them to their votes')
    .option('--node-poll <s>', 'how often the node is asked about found blocks, in seconds', positiveIntArg, 5)
    .addOption(new Option('--profile <name>', 'chain rules').choices(PROFILE_NAMES).default(DEFAULT_PROFILE))
    .option('--worker <name>', 'worker name for the embedded devnet', 'rig0')
    .option('--tls-ca <file>', 'PEM CA that TLS pools may be signed by, beside the system ones (env SSL_CERT_FILE does the same)')
    .option('--tls-insecure', 'accept any TLS pool certificate, unverified (env SSL_NOVERIFY=1 does the same)')
    .option('--no-login-check', 'send stratum pools logins that are not SERO addresses (pools with other login schemes)');
  addSerominerOptions(addRigOptions(command)).action(async (_opts: MineOptions, cmd: Command) => {
    if (resolveRigConfig(cmd)) return;
    const opts = cmd.opts<MineOptions>();
    // serominer's other uses of its one command line: list the devices, or benchmark a block
    if (opts.listDevices) return printDevices({});
    const block = benchmarkBlock(opts);
    if (block !== undefined) return benchmark(opts, block);
    const code = await mine(opts);
    if (code !== EXIT_CODES.ok) process.exitCode = code;
  });
}

/** -M/--benchmark: `bench` at that block, on a GPU when -U/-G/--backend ask for one or auto finds one. */
async function benchmark(opts: MineOptions, block: number): Promise<void> {
  const backends = deviceTypeBackends(opts, (line) => console.error(line));
  const gpu = backends.includes('webgpu') || (backends.includes('auto') && (await listDevices()).some((d) => d.kind === 'webgpu' && !d.software));
  await runBench({ backend: gpu ? 'webgpu' : 'wasm', block, dag: opts.dag ?? 'full', threads: opts.threads, seconds: 10, placement: 'auto' });
}

async function mine(opts: MineOptions): Promise<ExitCode> {
  const tls = tlsSettings(opts);
  const notes: string[] = [];
  opts.backend = deviceTypeBackends(opts, (line) => notes.push(line));
  const pools = poolsOf(opts.pool, opts.loginCheck);
  // A damaged journal, or a ledger that cannot be written, stops the command here, before a devnet or a device holds the process open.
  const ledger = await atRuntime(async () => {
    const opened = new Ledger(ledgerDirOf(opts.datadir, pools === undefined));
    opened.open();
    return opened;
  });
  const started = performance.now();
  let session: MiningSession | undefined;
  let height: number | undefined;
  // the sensors' latest readings once the rig runs; none on the status line with --HWMON 0
  let readings: () => readonly SensorReading[] = () => [];
  const printer = startStatusOutput({
    logFile: opts.logFile,
    verbosity: opts.verbosity,
    render: (width) => formatStatus({
      hashrate: session?.rig.hashrate ?? 0,
      shares: session?.rig.shares ?? noShares(),
      devices: session?.rig.devices.map((d) => ({ hashrate: d.hashrate, shares: d.shares, pausedFor: d.pausedFor, sensors: opts.HWMON > 0 ? readings()[d.index] : undefined })),
      blocks: session?.chainTotals() ?? totalsOf([]),
      ledger: ledger.health,
      height,
      uptimeSeconds: (performance.now() - started) / 1000,
    }, width),
  });
  const log = printer.log;
  logNativeLines((line) => log('debug', `native: ${line}`));
  for (const line of notes) log('info', line);
  // everything started so far, closed in reverse order however mining ends
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    // before anything starts: a device that is not there, a taken API port
    const { listing, slots } = await devicesFor(opts, log);
    const apiListener = await reserveApiPort(opts);
    if (apiListener) cleanup.push(() => apiListener.close());
    let devnet: Devnet | undefined;
    let uris = pools;
    let dagMode: DagMode = opts.dag ?? 'full';
    if (uris === undefined) {
      dagMode = opts.dag ?? 'small';
      log('info', `no pool given: starting the embedded devnet (${dagMode} DAG, ${opts.profile} rules)`);
      devnet = await atRuntime(() => startDevnet({ dag: dagMode, profile: opts.profile, initialDifficulty: EMBEDDED_DEVNET_DIFFICULTY, datadir: devnetDirOf(opts.datadir), stratumTlsPort: null, stratumWsPort: null, logger: (level, m) => { if (level === 'warn' || level === 'error') log(level, `devnet: ${m}`); } }));
      cleanup.push(() => devnet!.close());
      uris = [parsePoolUri(devnet.endpoints.stratum.replace('://', `://devnet-miner.${opts.worker}@`))];
      log('info', `devnet ready: stratum ${devnet.endpoints.stratum}, rpc ${devnet.endpoints.rpc}`);
    }

    const backends = await atRuntime(() => openDevices(slots));
    backends.forEach((b, i) => log('info', `device ${i}: ${b.device}${slots[i]!.entry.index !== i ? ` (device ${slots[i]!.entry.index} in \`sero-miner devices\`)` : ''}`));
    log('info', `pools: ${uris.map(describePoolUri).join(', ')}`);
    session = startMiningSession({
      pools: uris, backends, dagMode, datadir: opts.datadir, ledger, profile: opts.profile, logger: log,
      nodeUrl: opts.node ?? devnet?.endpoints.rpc, nodePollMs: opts.nodePoll * 1000,
      poolOptions: poolOptionsOf(opts, tls),
      devices: { reopen: (i) => slots[i]!.open(), dagStage: dagStage(opts.dagLoadMode) },
    });
    const { rig } = session;
    // devices may have reopened their backends: close the ones they hold at the end
    cleanup.push(() => Promise.all(rig.devices.map((d) => d.backend.close().catch(() => undefined))));
    cleanup.push(() => session!.stop());
    wireLogs(session, log);
    session.pools.on('work', (work) => { height = work.height; });
    let loginsRefused = false;
    let stopRefused = () => { loginsRefused = true; };
    session.pools.once('loginsRefused', () => stopRefused());

    let exitCode: ExitCode = EXIT_CODES.ok;
    let giveUp: (reason: string) => void = () => undefined;
    const services = await atRuntime(() => startRigServices({
      session: session!, options: opts, log, setVerbosity: printer.setVerbosity, apiListener,
      sensors: { devices: slots.map((slot) => sensorTargetOf(slot.entry)), listing: listing.map(sensorTargetOf) },
      onGiveUp: (reason) => giveUp(reason),
    }));
    cleanup.push(() => services.stop());
    readings = () => services.sensors.readings;

    await new Promise<void>((resolve) => {
      const stop = (why: string) => { log('info', why); resolve(); };
      giveUp = (reason) => { exitCode = EXIT_CODES.watchdog; stop(`the watchdog gave up (${reason}): stopping with exit code ${EXIT_CODES.watchdog}`); };
      stopRefused = () => { exitCode = EXIT_CODES.loginRefused; stop(`every pool refused the login: stopping with exit code ${EXIT_CODES.loginRefused}`); };
      if (loginsRefused) stopRefused();
      if (opts.duration) setTimeout(() => stop(`${opts.duration} s elapsed: stopping`), opts.duration * 1000).unref();
      process.once('SIGINT', () => stop('interrupted: stopping'));
      process.once('SIGTERM', () => stop('terminated: stopping'));
    });

    while (cleanup.length) await cleanup.pop()!();
    const unsaved = unsavedWarning(ledger);
    if (unsaved) log('error', unsaved);
    const t = session.chainTotals();
    const shares = rig.shares;
    const perDevice = rig.devices.length > 1 ? `; ${rig.devices.map((d) => `device ${d.index} ${formatShares(d.shares)}`).join(', ')}` : '';
    printer.stop();
    console.log(`mined ${formatHashrate(rig.meter.total / ((performance.now() - started) / 1000))} average; shares ${describeShares(shares)}${perDevice}; this chain's ledger: blocks ${t.confirmed} confirmed, ${t.orphaned} orphaned, ${t.pending} pending; credited ${formatSero(t.credit)} SERO`);
    return exitCode;
  } finally {
    while (cleanup.length) await cleanup.pop()!().catch(() => undefined);
    printer.stop();
  }
}

function poolOptionsOf(opts: MineOptions, tls: ReturnType<typeof tlsSettings>) {
  const { responseTimeoutMs, ...pool } = poolSettings(opts);
  return { ...pool, client: { tls, responseTimeoutMs, requestTimeoutMs: responseTimeoutMs } };
}

function wireLogs({ rig }: MiningSession, log: Logger): void {
  rig.on('work', (w) => log('info', `new job ${w.jobId.slice(0, 18)}… height ${w.height} (epoch ${epochOf(w.height)}, period ${periodOf(w.height)})`));
  // with several devices, each DAG line says whose it is
  const who = (device: number) => (rig.devices.length > 1 ? `device ${device}: ` : '');
  rig.on('dagStart', (spec, d) => log('info', `${who(d)}building the ${spec.mode} DAG of epoch ${spec.epoch} (${(spec.datasetSize / 2 ** 20).toFixed(0)} MiB)`));
  const lastPct = new Map<number, number>();
  rig.on('dagProgress', (spec, p, d) => {
    const pct = Math.floor((100 * p.done) / Math.max(1, p.total));
    if (pct !== lastPct.get(d) && pct % 10 === 0) log('info', `${who(d)}DAG epoch ${spec.epoch}: ${pct}%`);
    lastPct.set(d, pct);
  });
  rig.on('dagReady', (spec, s, d) => log('info', `${who(d)}DAG epoch ${spec.epoch} ready in ${s.toFixed(1)} s`));
  rig.on('share', (r) => {
    if (r.throttled) return; // the pool manager logs a folded summary instead
    const nonce = formatNonce(r.nonce);
    if (r.status === 'accepted') log('info', `share ${nonce} accepted (${r.latencyMs} ms)`);
    else log('warn', `share ${nonce} ${r.status}${r.message ? `: ${r.message}` : ''}`);
  });
  rig.on('error', (err) => log('error', err.message));
}
