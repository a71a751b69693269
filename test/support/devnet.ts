// Helpers for devnet tests: a scripted line-protocol client, node RPC calls, and a miner that
// finds real solutions with the TypeScript ProgPoW reference on the small DAG.
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { dagSpecForBlock } from '../../src/pow/epoch.js';
import { makeLightCache } from '../../src/pow/ethash.js';
import { lightDag, progpowHash, type DagReader } from '../../src/pow/progpow.js';
import { bytesToBigInt } from '../../src/util/bytes.js';
import { silentLogger } from '../../src/util/log.js';
import { startDevnet, type Devnet, type DevnetOptions } from '../../src/devnet/index.js';

export type Message = Record<string, unknown>;

/** Newline-delimited JSON over TCP or TLS, with every received message kept for `next`. */
export class LineClient {
  private readonly received: Message[] = [];
  private readonly waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  private buffer = '';

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let newline = this.buffer.indexOf('\n'); newline >= 0; newline = this.buffer.indexOf('\n')) {
        const line = this.buffer.slice(0, newline).trim();
        this.buffer = this.buffer.slice(newline + 1);
        if (line !== '') this.deliver(JSON.parse(line) as Message);
      }
    });
  }

  static connect(uri: string): Promise<LineClient> {
    const { protocol, hostname, port } = new URL(uri.replace(/^stratum1\+/, 'x'));
    return new Promise((resolve, reject) => {
      const options = { host: hostname, port: Number(port) };
      const socket = protocol === 'xtls:' ? tls.connect({ ...options, rejectUnauthorized: false }) : net.connect(options);
      socket.once(protocol === 'xtls:' ? 'secureConnect' : 'connect', () => resolve(new LineClient(socket)));
      socket.once('error', reject);
    });
  }

  send(message: Message): void {
    this.socket.write(`${JSON.stringify(message)}\n`);
  }

  /** The first message (already received or still to come) that matches, removed from the backlog. */
  next(match: (m: Message) => boolean, timeoutMs = 10_000): Promise<Message> {
    const index = this.received.findIndex(match);
    if (index >= 0) return Promise.resolve(this.received.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms; received ${JSON.stringify(this.received)}`)), timeoutMs);
      this.waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  /** Sends a request and waits for the reply with its id. */
  async request(message: Message & { id: number }, timeoutMs?: number): Promise<Message> {
    this.send(message);
    return this.next((m) => m.id === message.id && m.method === undefined, timeoutMs);
  }

  /** Messages received and not taken by `next`. */
  backlog(): Message[] {
    return [...this.received];
  }

  close(): void {
    this.socket.destroy();
  }

  private deliver(message: Message): void {
    const waiter = this.waiters.findIndex((w) => w.match(message));
    if (waiter >= 0) this.waiters.splice(waiter, 1)[0]!.resolve(message);
    else this.received.push(message);
  }
}

/** A quiet devnet for tests: small DAG, difficulty 4 (floor 2), stratum over TCP only; `options` add to that or override it. */
export async function startTestDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const devnet = await startDevnet({
    dag: 'small',
    initialDifficulty: 4n,
    minimumDifficulty: 2n,
    stratumTlsPort: null,
    stratumWsPort: null,
    logger: silentLogger,
    ...options,
  });
  useRpcToken(devnet.endpoints.rpc, devnet.rpcToken);
  return devnet;
}

/** RPC tokens by endpoint URL: `rpc` sends the one of its URL, as a devnet's operator would. */
const rpcTokens = new Map<string, string>();

/** Makes `rpc` authenticate to `url` with `token` (the devnet's state-changing methods need it). */
export function useRpcToken(url: string, token: string): void {
  rpcTokens.set(url, token);
}

/** One JSON-RPC call over HTTP (with the URL's token when one is known); throws on an error reply. */
export async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const token = rpcTokens.get(url);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }) };
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  if (response.status !== 200) throw new Error(`${method}: HTTP ${response.status} ${(await response.text()).trim()}`);
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** Polls `probe` until it returns something other than undefined. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const dags = new Map<number, DagReader>();

function smallDag(height: number): DagReader {
  const spec = dagSpecForBlock(height, 'small');
  let dag = dags.get(spec.epoch);
  if (!dag) dags.set(spec.epoch, (dag = lightDag(makeLightCache(spec.cacheSize, spec.seedHash), spec.datasetSize)));
  return dag;
}

export interface Solution {
  nonce: bigint;
  mixDigest: Uint8Array;
  finalHash: Uint8Array;
}

/** Hashes nonces from a random start with the reference until the final hash meets `target`. */
export function mine(headerHash: Uint8Array, height: number, target: bigint, maxTries = 5_000): Solution {
  const dag = smallDag(height);
  let nonce = BigInt(Math.floor(Math.random() * 2 ** 48));
  for (let i = 0; i < maxTries; i++, nonce++) {
    const { mixDigest, finalHash } = progpowHash(headerHash, nonce, height, dag);
    if (bytesToBigInt(finalHash) <= target) return { nonce, mixDigest, finalHash };
  }
  throw new Error(`no solution below the target in ${maxTries} tries`);
}

export const hexBytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replace(/^0x/, ''), 'hex'));
export const nonceParam = (nonce: bigint): string => `0x${nonce.toString(16).padStart(16, '0')}`;
export const hex0x = (bytes: Uint8Array): string => `0x${Buffer.from(bytes).toString('hex')}`;

const quantity = (n: number) => `0x${n.toString(16)}`;

/** Mines the next block over getwork and waits until it is on chain; returns its RPC object. */
export async function mineOverRpc(url: string): Promise<any> {
  const [header, , boundary, height] = (await rpc(url, 'eth_getWork')) as string[];
  const solution = mine(hexBytes(header!), Number(height), BigInt(boundary!));
  assert.equal(await rpc(url, 'sero_submitWork', [nonceParam(solution.nonce), header, hex0x(solution.mixDigest)]), true);
  await waitFor(async () => ((await rpc(url, 'sero_blockNumber')) === quantity(Number(height)) ? true : undefined), `block ${height}`);
  const block = await rpc(url, 'sero_getBlockByNumber', [quantity(Number(height)), true]);
  assert.equal(block.nonce, nonceParam(solution.nonce));
  return block;
}
