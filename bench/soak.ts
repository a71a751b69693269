// Hardening soak (issue #12): a real `sero-miner devnet` process on loopback is attacked the
// ways the issue measured, and every figure it names must hold. All traffic goes to 127.0.0.1
// (hostile clients bind other 127.x source addresses, so a ban on them spares the good ones),
// bounded in count and time. Prints one JSON line per figure and exits 1 when one fails.
//   node dist/bench/soak.js          CI size (about a minute): 8 MiB pipelined, 500 stake transactions, 100 miners for 10 s
//   node dist/bench/soak.js --full   the size: 30 MB pipelined, 1,000 miners for 2 minutes
//   --only miners,idle               some phases only (pipeline, junk, malformed, rpc, stake, miners, idle)
// SERO_SOAK_BIN=<other checkout>/bin/sero-miner.js measures another build (the figures before a change).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { createWasmBackend } from '../src/backends/wasm/index.js';
import type { Solution } from '../src/backends/backend.js';
import { dagSpecForBlock } from '../src/pow/epoch.js';
import { bytesTo0x, formatNonce, hexToBytes } from '../src/util/hex.js';

export interface SoakSize {
  readonly name: 'ci' | 'full';
  /** Bytes of sero_getWork a client pipelines without reading. */
  readonly pipelineBytes: number;
  /** Junk shares the flooder may send; it must be banned before. */
  readonly junkShares: number;
  /** Idle sockets opened against a devnet whose descriptor limit is `lowFileLimit`. */
  readonly idleSockets: number;
  readonly lowFileLimit: number;
  readonly batchCalls: number;
  readonly stakeTransactions: number;
  readonly miners: number;
  readonly minerSeconds: number;
  /** Each miner submits a share this often. */
  readonly submitIntervalMs: number;
}

/**
 * The CI run shares two cores with whatever else runs: its timed figures keep the issue's
 * limits with half the stake transactions (the quadratic journal it guards against took
 * 18.5 s for 1,000 and would take several seconds for 500; a busy machine does not).
 */
export const CI_SIZE: SoakSize = {
  name: 'ci', pipelineBytes: 8 << 20, junkShares: 1000, idleSockets: 1000, lowFileLimit: 256, batchCalls: 5000,
  stakeTransactions: 500, miners: 100, minerSeconds: 10, submitIntervalMs: 2000,
};

export const FULL_SIZE: SoakSize = {
  name: 'full', pipelineBytes: 30_000_000, junkShares: 1000, idleSockets: 1000, lowFileLimit: 256, batchCalls: 5000,
  stakeTransactions: 1000, miners: 1000, minerSeconds: 120, submitIntervalMs: 10_000,
};

export interface Figure {
  readonly name: string;
  readonly value: number | boolean;
  /** What the value must be: "< 50", "<= 1000", "true". */
  readonly limit: string;
  readonly ok: boolean;
  readonly unit?: string;
  readonly detail?: string;
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = process.env.SERO_SOAK_BIN ?? path.join(root, 'bin/sero-miner.js');
const MB = 1024 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const below = (name: string, value: number, limit: number, unit: string, detail?: string): Figure => ({ name, value: round(value), limit: `< ${limit}`, ok: value < limit, unit, detail });
const atMost = (name: string, value: number, limit: number, unit: string, detail?: string): Figure => ({ name, value: round(value), limit: `<= ${limit}`, ok: value <= limit, unit, detail });
const holds = (name: string, value: boolean, detail?: string): Figure => ({ name, value, limit: 'true', ok: value, detail });
const round = (x: number): number => Number(x.toFixed(x < 10 ? 2 : 1));

interface Ready {
  readonly stratum: string;
  readonly rpc: string;
  readonly ws: string;
  readonly rpcTokenFile: string | null;
}

/** `sero-miner devnet --json` as a child process, its stderr lines counted. */
class DevnetProcess {
  logLines = 0;
  private constructor(readonly child: ChildProcess, readonly ready: Ready, readonly datadir: string) {}

  static start(args: string[], fileLimit?: number): Promise<DevnetProcess> {
    const datadir = mkdtempSync(path.join(os.tmpdir(), 'sero-soak-'));
    const devnetArgs = [bin, 'devnet', '--json', '--dag', 'small', '--stratum-port', '0', '--rpc-port', '0', '--no-stratum-tls', '--no-stratum-ws', '--datadir', datadir, ...args];
    // `ulimit -n` in a shell that then becomes node: soft and hard limit both, so node cannot raise it.
    const child = fileLimit === undefined
      ? spawn(process.execPath, devnetArgs, { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('sh', ['-c', `ulimit -n ${fileLimit} && exec "$0" "$@"`, process.execPath, ...devnetArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    return new Promise((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      let process_: DevnetProcess | undefined;
      const timer = setTimeout(() => reject(new Error(`devnet not ready in 60 s: ${stderr.slice(-2000)}`)), 60_000);
      child.stderr!.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        if (process_ !== undefined) process_.logLines += text.split('\n').length - 1;
        else stderr += text;
      });
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const newline = stdout.indexOf('\n');
        if (newline < 0 || process_ !== undefined) return;
        clearTimeout(timer);
        process_ = new DevnetProcess(child, JSON.parse(stdout.slice(0, newline)) as Ready, datadir);
        resolve(process_);
      });
      child.once('exit', (code) => reject(new Error(`devnet exited with ${code}: ${stderr.slice(-2000)}`)));
    });
  }

  get stratumPort(): number {
    return Number(new URL(this.ready.stratum.replace('stratum1+tcp', 'http')).port);
  }

  get rpcPort(): number {
    return Number(new URL(this.ready.rpc).port);
  }

  /** The operator's credential (none from a build without one). */
  authorization(): Record<string, string> {
    return this.ready.rpcTokenFile ? { Authorization: `Bearer ${readFileSync(this.ready.rpcTokenFile, 'utf8').trim()}` } : {};
  }

  rssBytes(): number {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'));
    return Number(match![1]) * 1024;
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000).then(() => this.child.kill('SIGKILL'))]);
    rmSync(this.datadir, { recursive: true, force: true });
  }
}

type Message = Record<string, unknown>;

/** A stratum connection speaking raw lines; `localAddress` picks the 127.x source address. */
class LineSocket {
  readonly messages: Message[] = [];
  private listeners: Array<(m: Message) => void> = [];
  closed = false;
  readonly whenClosed: Promise<void>;
  private buffer = '';

  private constructor(readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('error', () => {});
    this.whenClosed = new Promise((resolve) => socket.once('close', () => {
      this.closed = true;
      resolve();
    }));
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let newline = this.buffer.indexOf('\n'); newline >= 0; newline = this.buffer.indexOf('\n')) {
        const line = this.buffer.slice(0, newline).trim();
        this.buffer = this.buffer.slice(newline + 1);
        if (line === '') continue;
        const message = JSON.parse(line) as Message;
        this.messages.push(message);
        for (const listener of this.listeners) listener(message);
      }
    });
  }

  static connect(port: number, localAddress = '127.0.0.1'): Promise<LineSocket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port, localAddress });
      socket.once('connect', () => resolve(new LineSocket(socket)));
      socket.once('error', reject);
    });
  }

  send(message: object | string): void {
    this.socket.write(typeof message === 'string' ? message : `${JSON.stringify(message)}\n`);
  }

  onMessage(listener: (m: Message) => void): void {
    this.listeners.push(listener);
  }

  /** The first message (received already or to come) matching, or undefined after `timeoutMs` or a close. */
  next(match: (m: Message) => boolean, timeoutMs = 10_000): Promise<Message | undefined> {
    const seen = this.messages.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      this.listeners.push((m) => {
        if (match(m)) {
          clearTimeout(timer);
          resolve(m);
        }
      });
      void this.whenClosed.then(() => setTimeout(() => resolve(this.messages.find(match)), 10));
    });
  }

  async login(name: string): Promise<Message | undefined> {
    this.send({ id: 1, method: 'sero_submitLogin', params: [name, 'x'], worker: 'soak' });
    return this.next((m) => m.id === 1);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

interface HttpReply {
  status: number;
  body: string;
}

function post(port: number, body: string, headers: Record<string, string>, agent?: http.Agent): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { 'Content-Length': String(Buffer.byteLength(body)), ...headers }, agent: agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const JSON_TYPE = { 'Content-Type': 'application/json' };
const call = (method: string, params: unknown[] = [], id = 1): string => JSON.stringify({ jsonrpc: '2.0', id, method, params });

async function rpcResult(dev: DevnetProcess, method: string, params: unknown[] = [], headers: Record<string, string> = {}): Promise<any> {
  const reply = JSON.parse((await post(dev.rpcPort, call(method, params), { ...JSON_TYPE, ...headers })).body) as { result?: unknown; error?: { message: string } };
  if (reply.error) throw new Error(`${method}: ${reply.error.message}`);
  return reply.result;
}

/** A client pipelining sero_getWork without reading: the devnet's memory must stay put and the client be dropped. */
async function pipelining(dev: DevnetProcess, size: SoakSize): Promise<Figure[]> {
  const before = dev.rssBytes();
  const socket = net.connect({ host: '127.0.0.1', port: dev.stratumPort, localAddress: '127.0.0.4' });
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.pause();
  socket.on('error', () => {});
  const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
  const request = Buffer.from(`${JSON.stringify({ id: 5, method: 'sero_getWork', params: [] })}\n`);
  const perChunk = Math.floor(MB / request.length);
  const chunk = Buffer.concat(Array.from({ length: perChunk }, () => request));
  socket.write(`${JSON.stringify({ id: 1, method: 'sero_submitLogin', params: ['flood', 'x'] })}\n`);
  for (let sent = 0; sent < size.pipelineBytes; sent += chunk.length) socket.write(chunk);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, dev.rssBytes())), 100);
  const started = Date.now();
  const wasClosed = await Promise.race([closed, sleep(40_000).then(() => false)]);
  const closedAfter = (Date.now() - started) / 1000;
  clearInterval(sampler);
  socket.destroy();
  await sleep(1000);
  const after = dev.rssBytes();
  return [
    below('pipeline: devnet RSS growth', (peak - before) / MB, 50, 'MB', `${(size.pipelineBytes / MB).toFixed(0)} MB pipelined; RSS ${(before / MB).toFixed(0)} MB before, ${(peak / MB).toFixed(0)} MB peak, ${(after / MB).toFixed(0)} MB after`),
    holds('pipeline: the client is closed', wasClosed, `after ${closedAfter.toFixed(1)} s`),
  ];
}

/** A logged-in client sending well-formed junk shares: banned within the official threshold, reconnects refused. */
async function junkFlood(dev: DevnetProcess, size: SoakSize): Promise<Figure[]> {
  const linesBefore = dev.logLines;
  const flooder = await LineSocket.connect(dev.stratumPort, '127.0.0.2');
  await flooder.login('junk');
  flooder.send({ id: 5, method: 'sero_getWork', params: [] });
  const job = (await flooder.next((m) => m.id === 5))!.result as string[];
  for (let i = 0; i < size.junkShares; i++) {
    const nonce = formatNonce(BigInt(i) * 7919n + 1n);
    flooder.send({ id: 100 + i, method: 'sero_submitWork', params: [nonce, job[0], `0x${'84'.repeat(32)}`], worker: 'soak' });
  }
  const banned = await flooder.next((m) => m.error !== undefined && m.error !== null, 20_000);
  await Promise.race([flooder.whenClosed, sleep(5000)]);
  flooder.destroy();
  const answered = flooder.messages.filter((m) => typeof m.id === 'number' && (m.id as number) >= 100).length;
  const again = await LineSocket.connect(dev.stratumPort, '127.0.0.2');
  const refusal = await again.login('junk');
  again.destroy();
  const refusedMessage = String((refusal?.error as { message?: string } | undefined)?.message ?? '');
  const shares = 'junk flood: shares answered before the ban';
  return [
    banned === undefined
      ? { name: shares, value: answered, limit: `<= ${size.junkShares}, then banned`, ok: false, unit: 'shares', detail: 'never banned' }
      : atMost(shares, answered, size.junkShares, 'shares', `ban reply ${JSON.stringify(banned.error)}`),
    holds('junk flood: a reconnect is refused with the ban', /^Banned/.test(refusedMessage), refusedMessage),
    atMost('junk flood: devnet log lines', dev.logLines - linesBefore, 20, 'lines', `${size.junkShares} junk shares sent`),
  ];
}

/** Malformed request, reconnect, again: banned after the official five. */
async function malformedCycles(dev: DevnetProcess): Promise<Figure[]> {
  let cycles = 0;
  for (; cycles < 1000; cycles++) {
    const client = await LineSocket.connect(dev.stratumPort, '127.0.0.3');
    client.send('{"id":1,"method":\n');
    const reply = await client.next(() => true, 5000);
    client.destroy();
    if (/^Banned/.test(String((reply?.error as { message?: string } | undefined)?.message))) break;
  }
  return [atMost('malformed-then-reconnect cycles before the ban', cycles, 6, 'cycles')];
}

async function batchAndBrowsers(dev: DevnetProcess, size: SoakSize): Promise<Figure[]> {
  const before = dev.rssBytes();
  const batch = JSON.stringify(Array.from({ length: size.batchCalls }, (_, i) => ({ jsonrpc: '2.0', id: i + 1, method: 'sero_getBlockByNumber', params: ['latest', true] })));
  const reply = await post(dev.rpcPort, batch, JSON_TYPE);
  const refused = JSON.parse(reply.body) as Array<{ error?: { code: number; message: string } }>;
  const growth = (dev.rssBytes() - before) / MB;

  const pendingBefore = (await rpcResult(dev, 'devnet_info')).stake.pendingTransactions as number;
  const price = await rpcResult(dev, 'stake_sharePrice');
  const crossSite = await post(dev.rpcPort, call('stake_buyShare', [{ from: 'victim', value: price }]), { 'Content-Type': 'text/plain', Origin: 'http://evil.example' });
  // Another's StakingNode: its owner's fee raised to 99.99 % by anyone who can reach the port.
  const owner = ((await rpcResult(dev, 'stake_stakePools')) as Array<{ own: string }>)[0]!.own;
  const anonymous = JSON.parse((await post(dev.rpcPort, call('stake_modifyStakePoolFee', [owner, 9999]), JSON_TYPE)).body) as { error?: { code: number } };
  const pendingAfter = (await rpcResult(dev, 'devnet_info')).stake.pendingTransactions as number;
  const wsStatus = await new Promise<number>((resolve) => {
    const ws = new WebSocket(dev.ready.ws, { origin: 'http://evil.example' });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => (ws.terminate(), resolve(101)));
    ws.once('error', () => resolve(0));
  });
  return [
    holds(`a ${size.batchCalls}-request batch is refused with an error`, refused.length === 1 && refused[0]!.error?.code === -32600, `${JSON.stringify(refused[0])}; RSS growth ${growth.toFixed(1)} MB`),
    holds('a cross-origin text/plain POST is refused', crossSite.status === 403 && pendingAfter === pendingBefore, `HTTP ${crossSite.status}`),
    holds('an unauthenticated state change is refused', anonymous.error?.code === -32001, JSON.stringify(anonymous.error)),
    holds('a cross-origin WebSocket is refused', wsStatus === 403, `HTTP ${wsStatus}`),
  ];
}

/**
 * Stake transactions one after another, as an operator's script sends them: first for ten
 * accounts, then each for a new account (whose vote key the devnet derives, about 0.7 ms).
 */
async function stakeTransactions(dev: DevnetProcess, size: SoakSize): Promise<Figure[]> {
  const auth = { ...JSON_TYPE, ...dev.authorization() };
  const price = await rpcResult(dev, 'stake_sharePrice');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let failed = 0;
  const timed = async (account: (i: number) => string): Promise<number> => {
    const started = performance.now();
    for (let i = 0; i < size.stakeTransactions; i++) {
      const reply = JSON.parse((await post(dev.rpcPort, call('stake_buyShare', [{ from: account(i), value: price }], i), auth, agent)).body) as { result?: string };
      if (typeof reply.result !== 'string') failed += 1;
    }
    return (performance.now() - started) / 1000;
  };
  const fewAccounts = await timed((i) => `soak-${i % 10}`);
  const newAccounts = await timed((i) => `soak-new-${i}`);
  agent.destroy();
  const queued = (await rpcResult(dev, 'devnet_info')).stake.pendingTransactions as number;
  return [
    below(`${size.stakeTransactions} stake transactions (10 accounts)`, fewAccounts, 2, 's'),
    below(`${size.stakeTransactions} stake transactions (a new account each)`, newAccounts, 4, 's'),
    holds('every stake transaction was queued', failed === 0 && queued >= 2 * size.stakeTransactions, `${failed} failed, ${queued} queued`),
  ];
}

/** Solutions of the job at share difficulty 2 (half of all nonces), from the WASM backend. */
async function solutionsFor(job: string[], count: number): Promise<Solution[]> {
  const height = Number(job[3]);
  const backend = createWasmBackend({ threads: 1, verify: false });
  try {
    await backend.prepare(dagSpecForBlock(height, 'small'));
    const solutions: Solution[] = [];
    for (let start = 1n; solutions.length < count; start += 4096n) {
      const found = await backend.search({ headerHash: hexToBytes(job[0]!, 32), height, target: BigInt(job[2]!) }, start, 4096);
      solutions.push(...found.solutions);
    }
    return solutions.slice(0, count);
  } finally {
    await backend.close();
  }
}

/** Well-behaved miners submitting valid shares: every one answered true, p99 under 100 ms, none dropped. */
async function wellBehavedMiners(dev: DevnetProcess, size: SoakSize): Promise<Figure[]> {
  const probe = await LineSocket.connect(dev.stratumPort);
  await probe.login('probe');
  probe.send({ id: 5, method: 'sero_getWork', params: [] });
  const job = (await probe.next((m) => m.id === 5))!.result as string[];
  probe.destroy();
  const perMiner = Math.ceil((size.minerSeconds * 1000) / size.submitIntervalMs) + 1;
  const solutions = await solutionsFor(job, size.miners * perMiner);

  const miners: LineSocket[] = [];
  for (let i = 0; i < size.miners; i += 50) {
    const group = await Promise.all(Array.from({ length: Math.min(50, size.miners - i) }, () => LineSocket.connect(dev.stratumPort)));
    const logins = await Promise.all(group.map((m, j) => m.login(`miner${i + j}`)));
    if (logins.some((reply) => reply?.result !== true)) throw new Error('a well-behaved miner could not log in');
    miners.push(...group);
  }
  const latencies: number[] = [];
  let wrong = 0;
  let next = 0;
  let sentCount = 0;
  const pending = new Map<string, number>();
  miners.forEach((miner, index) => {
    miner.onMessage((m) => {
      const key = `${index}:${String(m.id)}`;
      const sentAt = pending.get(key);
      if (sentAt === undefined) return;
      pending.delete(key);
      latencies.push(performance.now() - sentAt);
      if (m.result !== true) wrong += 1;
    });
  });
  let rssPeak = dev.rssBytes();
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, dev.rssBytes())), 1000);
  const timers: NodeJS.Timeout[] = [];
  const until = Date.now() + size.minerSeconds * 1000;
  miners.forEach((miner, index) => {
    let id = 100;
    const submit = (): void => {
      if (Date.now() >= until || miner.closed) return;
      const solution = solutions[next++]!;
      const key = `${index}:${id}`;
      pending.set(key, performance.now());
      sentCount += 1;
      miner.send({ id: id++, method: 'sero_submitWork', params: [formatNonce(solution.nonce), job[0], bytesTo0x(solution.mixDigest)], worker: 'soak' });
    };
    // Spread over the interval, so the load is steady rather than in waves.
    timers.push(setTimeout(function tick() {
      submit();
      timers.push(setTimeout(tick, size.submitIntervalMs));
    }, Math.random() * size.submitIntervalMs));
  });
  await sleep(size.minerSeconds * 1000);
  for (const timer of timers) clearTimeout(timer);
  const drainUntil = Date.now() + 10_000;
  while (pending.size > 0 && Date.now() < drainUntil) await sleep(50);
  clearInterval(sampler);
  const disconnected = miners.filter((m) => m.closed).length;
  for (const miner of miners) miner.destroy();
  latencies.sort((a, b) => a - b);
  const p = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Infinity;
  const detail = `${size.miners} miners, ${size.minerSeconds} s, ${sentCount} shares; p50 ${p(0.5).toFixed(1)} ms, max ${p(1).toFixed(1)} ms; devnet RSS peak ${(rssPeak / MB).toFixed(0)} MB`;
  return [
    below('well-behaved miners: p99 submit', p(0.99), 100, 'ms', detail),
    holds('well-behaved miners: none dropped, every share accepted', disconnected === 0 && wrong === 0 && pending.size === 0, `${disconnected} disconnected, ${wrong} not accepted, ${pending.size} unanswered`),
  ];
}

/** Under a low descriptor limit, idle sockets pile up: a good miner still logs in, the RPC still answers. */
async function idleSockets(size: SoakSize): Promise<Figure[]> {
  const dev = await DevnetProcess.start([], size.lowFileLimit);
  try {
    const idle: net.Socket[] = [];
    await Promise.all(Array.from({ length: size.idleSockets }, () => new Promise<void>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port: dev.stratumPort });
      socket.on('error', () => resolve());
      socket.once('connect', () => resolve());
      idle.push(socket);
    })));
    await sleep(500);
    const started = performance.now();
    const good = await LineSocket.connect(dev.stratumPort).catch(() => undefined);
    const login = await good?.login('good-miner');
    const loginMs = performance.now() - started;
    const info = await rpcResult(dev, 'devnet_info').catch(() => undefined);
    const open = idle.filter((s) => !s.destroyed && s.readyState === 'open').length;
    good?.destroy();
    for (const socket of idle) socket.destroy();
    return [
      holds(`${size.idleSockets} idle sockets under ulimit -n ${size.lowFileLimit}: a good miner logs in`, login?.result === true, `in ${loginMs.toFixed(0)} ms; ${open} idle sockets still open`),
      holds('... and the RPC answers', info?.chain !== undefined),
    ];
  } finally {
    await dev.stop();
  }
}

export const PHASES = ['pipeline', 'junk', 'malformed', 'rpc', 'stake', 'miners', 'idle'] as const;
export type Phase = (typeof PHASES)[number];

export async function runSoak(size: SoakSize, onFigure: (figure: Figure) => void = () => {}, phases: readonly Phase[] = PHASES): Promise<Figure[]> {
  const figures: Figure[] = [];
  const run = async (phase: Phase, measure: () => Promise<Figure[]>): Promise<void> => {
    if (!phases.includes(phase)) return;
    for (const figure of await measure()) {
      figures.push(figure);
      onFigure(figure);
    }
  };
  // A block difficulty no share reaches: the job stays, so precomputed shares stay valid. The
  // hostile clients come from 127.x addresses, which the devnet spares unless told to ban loopback.
  const dev = await DevnetProcess.start(['--difficulty', '1000000000000000', '--share-difficulty', '2', '--stratum-ban-loopback']);
  try {
    await run('pipeline', () => pipelining(dev, size));
    await run('junk', () => junkFlood(dev, size));
    await run('malformed', () => malformedCycles(dev));
    await run('rpc', () => batchAndBrowsers(dev, size));
    await run('stake', () => stakeTransactions(dev, size));
    await run('miners', () => wellBehavedMiners(dev, size));
  } finally {
    await dev.stop();
  }
  await run('idle', () => idleSockets(size));
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const size = process.argv.includes('--full') ? FULL_SIZE : CI_SIZE;
  const only = process.argv.indexOf('--only');
  const phases = only === -1 ? PHASES : (process.argv[only + 1] ?? '').split(',').filter((p): p is Phase => (PHASES as readonly string[]).includes(p));
  const figures = await runSoak(size, (figure) => console.log(JSON.stringify(figure)), phases);
  const failed = figures.filter((figure) => !figure.ok);
  console.log(JSON.stringify({ soak: size.name, figures: figures.length, failed: failed.map((figure) => figure.name), machine: `${os.cpus().length} x ${os.cpus()[0]?.model.trim()}`, node: process.version, loadavg1: os.loadavg()[0] }));
  process.exitCode = failed.length === 0 ? 0 : 1;
}
