// `sero-miner web`: serves the browser miner on loopback: a page that benchmarks WebGPU and
// WASM side by side and mines against stratum1+ws(s) pools, with the same code as this CLI.
import { spawn } from 'node:child_process';
import { Option, type Command } from 'commander';
import { DEFAULT_PROFILE, PROFILE_NAMES, type ProfileName } from '../chain/profile.js';
import type { DagMode } from '../pow/epoch.js';
import { describePoolUri } from '../net/wire/uri.js';
import { parseBrowserPools } from '../web/page/page-config.js';
import { startWebServer } from '../web/serve/server.js';
import { collect, dagModeArg, portArg } from './args.js';

/** Default port of the page: next to the devnet's stratum endpoints (8008-8010). */
export const DEFAULT_WEB_PORT = 8011;

interface WebOptions {
  host: string;
  port: number;
  pool?: string[];
  dag?: DagMode;
  profile: ProfileName;
  json?: boolean;
  open?: boolean;
}

export function register(program: Command): void {
  program
    .command('web')
    .description('serve the browser miner: benchmark and mine in a browser tab (WebGPU and WASM), nothing to install')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'HTTP port (0: a free port)', portArg, DEFAULT_WEB_PORT)
    .option('-P, --pool <uri>', "the page's pool: stratum1+ws://user.worker@host:port or stratum1+wss://…; repeat for failover", collect)
    .option('--dag <mode>', 'DAG sizes the page mines with: full, or small (devnets)', dagModeArg)
    .addOption(new Option('--profile <name>', 'chain rules of the ledger').choices(PROFILE_NAMES).default(DEFAULT_PROFILE))
    .option('--open', "open the page in the system's browser")
    .option('--json', 'print one JSON line with the page address when ready')
    .action(async (opts: WebOptions) => runWeb(opts));
}

/** Hands the URL to the desktop's opener (xdg-open, open, start); says so when there is none. */
function openInBrowser(url: string): void {
  const opener: [string, string[]] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const [command, args] = opener;
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => console.error(`could not start a browser (${command}): open ${url} yourself`));
  child.unref();
}

async function runWeb(opts: WebOptions): Promise<void> {
  const pools = opts.pool?.length ? parseBrowserPools(opts.pool) : [];
  const config = { pools: opts.pool ?? [], servedBy: 'web' as const, ...(opts.dag ? { dag: opts.dag } : {}), profile: opts.profile };
  const server = await startWebServer({ host: opts.host, port: opts.port, config: () => config });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ url: server.url, pools: pools.map(describePoolUri) })}\n`);
  } else {
    console.log(`SERO miner page: ${server.url}`);
    if (pools.length > 0) console.log(`  mining against ${pools.map(describePoolUri).join(', ')} when you press start`);
    console.log('Open it in a browser with WebGPU (Chrome, Edge, Safari 26, Firefox; on Linux Firefox needs dom.webgpu.enabled in about:config). Ctrl-C stops the server.');
  }
  if (opts.open) openInBrowser(server.url);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
