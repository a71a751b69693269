// The options that make `mine` run a rig: config file, devices, staged DAG builds, the API,
// the watchdog, log file and verbosity; and starting the API and watchdog on a session.
import net from 'node:net';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseBackendList, type BackendChoice } from '../backends/select.js';
import type { DagLoadMode } from '../miner/dag-stage.js';
import type { MiningSession } from '../miner/session.js';
import { Watchdog } from '../miner/watchdog.js';
import { parseApiPort, startApiServer, type ApiListener, type ApiServer } from '../api/api-server.js';
import { sessionControl } from '../api/rig-control.js';
import { RigStatusSource } from '../api/rig-status.js';
import { MAX_VERBOSITY } from '../api/rpc-methods.js';
import type { Logger } from '../util/log.js';
import { HWMON_LEVELS, type HwmonLevel } from '../sensors/reading.js';
import { DEFAULT_TSTART, ThermalGuard } from '../sensors/thermal-guard.js';
import { SensorMonitor } from '../sensors/sensor-monitor.js';
import type { SensorTarget } from '../sensors/adapter-match.js';
import { collect, originArg, wrap } from './args.js';
import { applyConfigFile, effectiveConfig } from './config-file.js';
import { UsageError } from './exit-codes.js';

export interface ApiBind {
  readonly address?: string;
  readonly port?: number;
}

export interface RigOptions {
  config?: string;
  printConfig?: boolean;
  backend: BackendChoice[];
  devices?: number[];
  dagLoadMode: DagLoadMode;
  apiPort?: number;
  apiBind?: ApiBind;
  apiPassword?: string;
  apiAllowHost?: string[];
  apiAllowOrigin?: string[];
  watchdog: number;
  watchdogWork: number;
  watchdogRestarts: number;
  logFile?: string;
  verbosity: number;
  HWMON: HwmonLevel;
  tstop?: number;
  tstart?: number;
}


const backendListArg = wrap(parseBackendList);
const deviceListArg = wrap((s): number[] => {
  const parts = s.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^[0-9]+$/.test(p))) throw new Error(`expected device indexes such as 0,2 (see \`sero-miner devices\`), got ${JSON.stringify(s)}`);
  return parts.map(Number);
});
const dagLoadModeArg = wrap((s): DagLoadMode => {
  if (s === '0' || s === 'parallel') return 'parallel';
  if (s === '1' || s === 'sequential') return 'sequential';
  throw new Error(`expected parallel (0) or sequential (1), got ${JSON.stringify(s)}`);
});
const apiPortArg = wrap(parseApiPort);
/** serominer's --api-bind: address:port, or just one of them; a negative port is read-only. */
export const apiBindArg = wrap((s): ApiBind => {
  const text = s.trim();
  if (/^-?[0-9]+$/.test(text)) return { port: parseApiPort(text) };
  if (net.isIP(text)) return { address: text };
  const match = /^\[([^\]]+)\]:(-?[0-9]+)$/.exec(text) ?? /^([^:]*):(-?[0-9]+)$/.exec(text);
  if (!match || (match[1] !== '' && !net.isIP(match[1]!))) throw new Error(`expected an IP address, a port or address:port, got ${JSON.stringify(s)}`);
  return { address: match[1] || undefined, port: parseApiPort(match[2]!) };
});
const secondsArg = wrap((s) => {
  if (!/^[0-9]+$/.test(s)) throw new Error(`expected whole seconds (0 turns it off), got ${JSON.stringify(s)}`);
  return Number(s);
});
const countArg = wrap((s) => {
  if (!/^[0-9]+$/.test(s) || Number(s) < 1) throw new Error(`expected a count of at least 1, got ${JSON.stringify(s)}`);
  return Number(s);
});
const hwmonArg = wrap((s): HwmonLevel => {
  const level = HWMON_LEVELS.find((l) => String(l) === s);
  if (level === undefined) throw new Error(`expected 0 (off), 1 (temperature and fan) or 2 (and power), got ${JSON.stringify(s)}`);
  return level;
});
/** serominer's range for --tstop and --tstart. */
const celsiusArg = wrap((s) => {
  if (!/^[0-9]+$/.test(s) || Number(s) < 30 || Number(s) > 100) throw new Error(`expected °C from 30 to 100, got ${JSON.stringify(s)}`);
  return Number(s);
});
const verbosityArg = wrap((s) => {
  if (!/^[0-9]+$/.test(s) || Number(s) > MAX_VERBOSITY) throw new Error(`expected 0..${MAX_VERBOSITY}, got ${JSON.stringify(s)}`);
  return Number(s);
});

export function addRigOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'read options from a JSON file of long option names and values; the command line wins')
    .option('--print-config', 'print the options in force as a config file and exit')
    .addOption(new Option('--backend <list>', 'backends: auto, or webgpu, wasm, or both (webgpu,wasm): one device each').argParser(backendListArg).default(['auto'], 'auto'))
    .option('--devices <list>', 'mine on these devices at once, by index from `sero-miner devices` (e.g. 0,2)', deviceListArg)
    .addOption(new Option('-L, --dag-load-mode <mode>', 'build the devices\' DAGs one after another (sequential, 1) or at once (parallel, 0)').argParser(dagLoadModeArg).default('sequential'))
    .option('--api-port <port>', 'serve the API (serominer JSON-RPC, HTTP dashboard, /metrics) on this loopback port; negative: read-only', apiPortArg)
    .option('--api-bind <address[:port]>', 'listen on this address instead of 127.0.0.1 (serominer style: address:port)', apiBindArg)
    .option('--api-password <password>', 'password for the API methods that change anything (without one, none are allowed)')
    .option('--api-allow-host <name>', 'a host name the API may be reached by besides IPs, localhost and this machine\'s name; repeatable', collect)
    .option('--api-allow-origin <origin>', 'a web origin whose pages may call the API (e.g. http://farm.local:8080); repeatable', (value: string, previous?: string[]) => collect(originArg(value), previous))
    .option('--watchdog <s>', 'restart a device that is lost or has not hashed for this long; 0: off', secondsArg, 60)
    .option('--watchdog-work <s>', 'restart every device when no new job came for this long; 0: off', secondsArg, 600)
    .option('--watchdog-restarts <n>', 'restarts in a row before exiting with code 5 for a supervisor', countArg, 3)
    .option('--log-file <file>', 'append every log line and a status line every 10 s to this file')
    .option('-v, --verbosity <n>', 'serominer\'s verbosity: 0 normal, more adds debug lines', verbosityArg, 0)
    .addOption(new Option('--HWMON <level>', 'sensors: 0 off, 1 temperature and fan, 2 also power (ethminer\'s levels)').argParser(hwmonArg).default(2))
    .option('--tstop <celsius>', 'pause a device once it reaches this temperature (30-100)', celsiusArg)
    .option('--tstart <celsius>', `resume it once it has cooled to this (30-100, default ${DEFAULT_TSTART}); needs --tstop`, celsiusArg);
}

/** --tstop and --tstart as ethminer checks them: tstart below tstop (40 unless given), and --tstop reads temperatures whatever --HWMON says. */
function resolveThermalLimits(command: Command): void {
  const { tstop, tstart, HWMON } = command.opts<RigOptions>();
  if (tstop === undefined) {
    if (tstart !== undefined) throw new UsageError('--tstart needs --tstop');
    return;
  }
  const start = tstart ?? DEFAULT_TSTART;
  if (start >= tstop) throw new UsageError(`--tstop (${tstop}) must be greater than --tstart (${start})`);
  command.setOptionValueWithSource('tstart', start, command.getOptionValueSource('tstart') ?? 'default');
  if (HWMON === 0) command.setOptionValueWithSource('HWMON', 1, 'implied');
}

/** Applies `--config`; true when `--print-config` printed the options and the command is done. */
export function resolveRigConfig(command: Command): boolean {
  const config = command.opts<RigOptions>().config;
  if (config) applyConfigFile(command, config);
  const options = command.opts<RigOptions>();
  if (options.apiBind && options.apiBind.port === undefined && options.apiPort === undefined) {
    throw new InvalidArgumentError('--api-bind needs a port: address:port, or --api-port');
  }
  resolveThermalLimits(command);
  if (!options.printConfig) return false;
  console.log(JSON.stringify(effectiveConfig(command), null, 2));
  return true;
}

/** The API's port (`--api-bind`'s wins over `--api-port`), undefined when the API is off. */
export function apiPortOf(options: Pick<RigOptions, 'apiBind' | 'apiPort'>): number | undefined {
  return options.apiBind?.port ?? options.apiPort;
}

/** What runs around a mining session for the rig's owner: the status everything reads, the watchdog, the API. */
export interface RigServices {
  readonly status: RigStatusSource;
  readonly api?: ApiServer;
  readonly sensors: SensorMonitor;
  stop(): Promise<void>;
}

export interface RigServicesOptions {
  readonly session: MiningSession;
  readonly options: RigOptions;
  readonly log: Logger;
  setVerbosity(level: number): void;
  /** The watchdog gave up: the command stops and exits with code 5. */
  onGiveUp(reason: string): void;
  /** The API's port, bound before anything started (default: bound here). */
  readonly apiListener?: ApiListener;
  /** The session's devices as the sensors see them, and every device listed (default: the session's backends alone). */
  readonly sensors?: { readonly devices: readonly SensorTarget[]; readonly listing?: readonly SensorTarget[] };
}

/** Reads the sensors (--HWMON) and, with --tstop, pauses a device for heat until it cools to --tstart. */
async function startSensors(o: RigServicesOptions): Promise<{ monitor: SensorMonitor; thermal?: { stop: number; start: number } }> {
  const { session, options, log } = o;
  const devices = o.sensors?.devices ?? session.rig.devices.map((d): SensorTarget => ({ index: d.index, kind: d.backend.name === 'wasm' ? 'wasm' : 'webgpu', software: false, name: d.backend.device }));
  const monitor = await SensorMonitor.open({ devices, listing: o.sensors?.listing, level: options.HWMON, sysfsRoot: process.env.SERO_MINER_SYSFS_ROOT || undefined, log });
  if (options.tstop === undefined) return { monitor };
  const thermal = { stop: options.tstop, start: options.tstart ?? DEFAULT_TSTART };
  const guard = new ThermalGuard({ limits: thermal, log, setHot: (device, hot) => session.rig.devices[device]?.setPaused(hot, 'heat') });
  monitor.on('readings', (readings) => guard.update(readings));
  return { monitor, thermal };
}

export async function startRigServices(o: RigServicesOptions): Promise<RigServices> {
  const { session, options, log } = o;
  const { monitor, thermal } = await startSensors(o);
  monitor.start();
  const status = new RigStatusSource({ session, sensors: monitor, thermal });
  const watchdog = new Watchdog({
    rig: session.rig, log, onGiveUp: o.onGiveUp, maxRestarts: options.watchdogRestarts,
    hashTimeoutMs: options.watchdog * 1000, workTimeoutMs: options.watchdogWork * 1000,
  });
  watchdog.start();
  const port = apiPortOf(options);
  let api: ApiServer | undefined;
  if (port !== undefined) {
    try {
      api = await startApiServer({
        port, bind: options.apiBind?.address, listener: o.apiListener, password: options.apiPassword, source: status, log,
        control: sessionControl(session, { log, setVerbosity: o.setVerbosity }),
        guard: { allowedHosts: options.apiAllowHost, allowedOrigins: options.apiAllowOrigin },
      });
    } catch (err) {
      watchdog.stop();
      monitor.stop();
      status.stop();
      throw err;
    }
  }
  return {
    status,
    api,
    sensors: monitor,
    async stop() {
      watchdog.stop();
      monitor.stop();
      await api?.close();
      status.stop();
    },
  };
}
