// `sero-miner mine`: the main job. With no pool it starts the embedded devnet in-process
// (small DAG, seed profile) and mines against it, so a fresh machine shows the whole cycle.
import type { Command } from 'commander';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Option } from 'commander';
import type { SearchBackend } from '../backends/backend.js';
import { selectBackend, BACKEND_CHOICES, type BackendChoice } from '../backends/select.js';
import { epochOf, type DagMode } from '../pow/epoch.js';
import { PROGPOW_PERIOD } from '../pow/progpow-program.js';
import { DEFAULT_PROFILE, PROFILE_NAMES, TICKETS_PER_BLOCK, type ProfileName } from '../chain/profile.js';
import { parsePoolUri, describePoolUri, type PoolUri } from '../net/uri.js';
import { stderrLogger, type Logger } from '../util/log.js';
import { startDevnet, type Devnet } from '../devnet/index.js';
import { startMiningSession, type MiningSession } from '../miner/session.js';
import { formatStatus, formatHashrate } from '../miner/status-line.js';
import { formatSero } from '../util/sero-amount.js';
import { formatNonce } from '../util/hex.js';
import { collect, dagModeArg, positiveIntArg } from './args.js';

interface MineOptions {
  pool?: string[];
  backend: BackendChoice;
  threads?: number;
  dag?: DagMode;
  datadir: string;
  duration?: number;
  node?: string;
  profile: ProfileName;
  worker: string;
}

/** About 10 s per block on two CPU cores (WASM or lavapipe); the devnet retargets from there. */
const EMBEDDED_DEVNET_DIFFICULTY = 300_000n;

function createBackends(opts: MineOptions, log: Logger): Promise<SearchBackend> {
  return selectBackend({
    backend: opts.backend,
    wasm: { threads: opts.threads, dagDir: path.join(opts.datadir, 'dag') },
    log,
  });
}

/** serominer's TLS switches: SSL_NOVERIFY accepts any certificate, SSL_CERT_FILE adds a CA. */
function tlsFromEnvironment(): { rejectUnauthorized?: boolean; ca?: Buffer } {
  const tls: { rejectUnauthorized?: boolean; ca?: Buffer } = {};
  if (process.env.SSL_NOVERIFY) tls.rejectUnauthorized = false;
  if (process.env.SSL_CERT_FILE) tls.ca = readFileSync(process.env.SSL_CERT_FILE);
  return tls;
}

/** Status on a terminal: one line redrawn in place; elsewhere: a line every 10 s. */
function statusPrinter(render: () => string): { stop(): void; log: Logger } {
  const tty = process.stderr.isTTY;
  let shown = false;
  const clear = () => { if (tty && shown) process.stderr.write('\r\x1b[2K'); shown = false; };
  const draw = () => { if (tty) { process.stderr.write('\r\x1b[2K' + render()); shown = true; } };
  const timer = setInterval(() => (tty ? draw() : process.stderr.write(render() + '\n')), tty ? 1000 : 10_000);
  const log: Logger = (level, message) => {
    if (level === 'debug') return;
    clear();
    stderrLogger(level, message);
    draw();
  };
  return { log, stop: () => { clearInterval(timer); clear(); } };
}

export function register(program: Command): void {
  program
    .command('mine')
    .description('mine SERO: against pools (-P), or the embedded devnet when none is given')
    .option('-P, --pool <uri>', 'pool or node URI (stratum1+tcp|ssl|ws|wss://user.worker:pass@host:port, http://host:port); repeat for failover', collect)
    .addOption(new Option('--backend <name>', 'search backend').choices(BACKEND_CHOICES).default('auto'))
    .option('--threads <n>', 'CPU threads for the WASM backend (default: all cores)', positiveIntArg)
    .option('--dag <mode>', 'DAG sizes: full, or small (only against the devnet; its default)', dagModeArg)
    .option('--datadir <dir>', 'ledger, DAG files and the embedded devnet live here', path.join(os.homedir(), '.sero-miner'))
    .option('--duration <s>', 'stop after this many seconds', positiveIntArg)
    .option('--node <url>', 'node JSON-RPC URL to follow found blocks and their votes')
    .addOption(new Option('--profile <name>', 'chain rules').choices(PROFILE_NAMES).default(DEFAULT_PROFILE))
    .option('--worker <name>', 'worker name for the embedded devnet', 'rig0')
    .action(async (opts: MineOptions) => mine(opts));
}

async function mine(opts: MineOptions): Promise<void> {
  const started = performance.now();
  let session: MiningSession | undefined;
  let height: number | undefined;
  const printer = statusPrinter(() => formatStatus({
    hashrate: session?.miner.hashrate ?? 0,
    shares: session?.miner.shares ?? { accepted: 0, stale: 0, rejected: 0, dropped: 0 },
    blocks: session?.ledger.totals() ?? { pending: 0, confirmed: 0, orphaned: 0, credit: 0n },
    height,
    uptimeSeconds: (performance.now() - started) / 1000,
  }));
  const log = printer.log;

  let devnet: Devnet | undefined;
  let uris: PoolUri[];
  let dagMode: DagMode = opts.dag ?? 'full';
  if (!opts.pool?.length) {
    dagMode = opts.dag ?? 'small';
    log('info', `no pool given: starting the embedded devnet (${dagMode} DAG, ${opts.profile} rules)`);
    devnet = await startDevnet({ dag: dagMode, profile: opts.profile, initialDifficulty: EMBEDDED_DEVNET_DIFFICULTY, datadir: path.join(opts.datadir, 'devnet'), stratumTlsPort: null, stratumWsPort: null, logger: (level, m) => { if (level === 'warn' || level === 'error') log(level, `devnet: ${m}`); } });
    uris = [parsePoolUri(devnet.endpoints.stratum.replace('://', `://devnet-miner.${opts.worker}@`))];
    log('info', `devnet ready: stratum ${devnet.endpoints.stratum}, rpc ${devnet.endpoints.rpc}`);
  } else {
    uris = opts.pool.map((p) => parsePoolUri(p));
  }

  const backends = [await createBackends(opts, log)];
  for (const b of backends) log('info', `device: ${b.device}`);
  log('info', `pools: ${uris.map(describePoolUri).join(', ')}`);
  session = startMiningSession({
    pools: uris, backends, dagMode, datadir: opts.datadir, profile: opts.profile, logger: log,
    // blocks restored from the ledger after a restart have no pool session to hear from: ask the node
    nodeUrl: opts.node ?? devnet?.endpoints.rpc,
    poolOptions: { client: { tls: tlsFromEnvironment() } },
  });
  wireLogs(session, log);
  session.pools.on('work', (work) => { height = work.height; });

  await new Promise<void>((resolve) => {
    const stop = (why: string) => { log('info', why); resolve(); };
    if (opts.duration) setTimeout(() => stop(`${opts.duration} s elapsed: stopping`), opts.duration * 1000).unref();
    process.once('SIGINT', () => stop('interrupted: stopping'));
    process.once('SIGTERM', () => stop('terminated: stopping'));
  });

  const { miner, ledger } = session;
  await session.stop();
  const t = ledger.totals();
  await Promise.all(backends.map((b) => b.close()));
  await devnet?.close();
  printer.stop();
  console.log(`mined ${formatHashrate(miner.meter.total / ((performance.now() - started) / 1000))} average; shares ${miner.shares.accepted} accepted, ${miner.shares.stale} stale, ${miner.shares.rejected} rejected; blocks ${t.confirmed} confirmed, ${t.orphaned} orphaned, ${t.pending} pending; credited ${formatSero(t.credit)} SERO`);
}

function wireLogs({ miner, tracker }: MiningSession, log: Logger): void {
  miner.on('work', (w) => log('info', `new job ${w.jobId.slice(0, 18)}… height ${w.height} (epoch ${epochOf(w.height)}, period ${Math.floor(w.height / PROGPOW_PERIOD)})`));
  miner.on('dagStart', (spec) => log('info', `building the ${spec.mode} DAG of epoch ${spec.epoch} (${(spec.datasetSize / 2 ** 20).toFixed(0)} MiB)`));
  let lastPct = -1;
  miner.on('dagProgress', (spec, p) => {
    const pct = Math.floor((100 * p.done) / Math.max(1, p.total));
    if (pct !== lastPct && pct % 10 === 0) log('info', `DAG epoch ${spec.epoch}: ${pct}%`);
    lastPct = pct;
  });
  miner.on('dagReady', (spec, s) => log('info', `DAG epoch ${spec.epoch} ready in ${s.toFixed(1)} s`));
  miner.on('share', (r) => {
    const nonce = formatNonce(r.nonce);
    if (r.status === 'accepted') log('info', `share ${nonce} accepted (${r.latencyMs} ms)`);
    else log('warn', `share ${nonce} ${r.status}${r.message ? `: ${r.message}` : ''}`);
  });
  miner.on('error', (err) => log('error', err.message));
  tracker.on('pending', (b) => log('info', `block candidate at height ${b.height} (${b.nonce}): waiting for its share votes`));
  tracker.on('vote', (b, votes) => log('info', `block ${b.height}: vote ${votes}/${TICKETS_PER_BLOCK}`));
  tracker.on('confirmed', (b) => log('info', `block ${b.height} confirmed: +${formatSero(b.credit)} SERO`));
  tracker.on('orphaned', (b) => log('warn', `block ${b.height} orphaned (${b.reason ?? 'no reason given'}): no credit`));
}
