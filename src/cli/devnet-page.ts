// `devnet --web`: the embedded devnet and, beside it, the browser miner page set to mine on the
// devnet's stratum WebSocket. The command line starts both: the devnet knows nothing of the page
// but its address (listed among its endpoints) and its origins (allowed on the stratum WebSocket).
import { DEFAULT_PROFILE } from '../chain/profile.js';
import { DEFAULT_DEVNET_DAG, startDevnet, type Devnet, type DevnetOptions } from '../devnet/index.js';
import { uriHost } from '../net/wire/uri.js';
import { stderrLogger, withPrefix } from '../util/log.js';
import type { PageConfig } from '../web/page/page-config.js';
import { startWebServer } from '../web/serve/server.js';

/** Account and worker the page mines as. */
const PAGE_WORKER = 'devnet-miner.browser';

export interface DevnetWithPageOptions extends DevnetOptions {
  /** Serve the browser miner page on this port (0: a free port), mining over the stratum WebSocket; off unless given. */
  readonly webPort?: number | null;
}

export async function startDevnetWithPage(options: DevnetWithPageOptions): Promise<Devnet> {
  const { webPort, ...devnetOptions } = options;
  if (webPort === undefined || webPort === null) return startDevnet(devnetOptions);
  if (options.stratumWsPort === null) throw new Error('the web page mines over the stratum WebSocket: it cannot be served with that endpoint off');
  const host = options.host ?? '127.0.0.1';
  let pageConfig: (pageHost: string) => PageConfig = () => ({ pools: [], servedBy: 'devnet' });
  const web = await startWebServer({ host, port: webPort, config: (pageHost) => pageConfig(pageHost), logger: withPrefix(options.logger ?? stderrLogger, '[web]') });
  let devnet: Devnet;
  try {
    // the page may open the stratum WebSocket under any name it is served by
    devnet = await startDevnet({ ...devnetOptions, pageUrl: web.url, stratumWsOrigins: [...(options.stratumWsOrigins ?? []), ...web.pageOrigins] });
  } catch (err) {
    await web.close();
    throw err;
  }
  const stratumWs = devnet.endpoints.stratumWs;
  if (stratumWs) {
    const wsPort = stratumWs.slice(stratumWs.lastIndexOf(':') + 1);
    // a wildcard bind is no address to connect to: the page finds the pool where it found the page
    const wsHost = (pageHost: string) => (host === '0.0.0.0' || host === '::' ? pageHost : uriHost(host));
    const profile = options.profile ?? DEFAULT_PROFILE;
    pageConfig = (pageHost) => ({ pools: [`stratum1+ws://${PAGE_WORKER}@${wsHost(pageHost)}:${wsPort}`], dag: options.dag ?? DEFAULT_DEVNET_DAG, profile, servedBy: 'devnet' });
  }
  let closing: Promise<void> | undefined;
  return {
    ...devnet,
    close: () => (closing ??= devnet.close().finally(() => web.close())),
  };
}
