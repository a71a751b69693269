// The miner's API port, as serominer's: one TCP port that answers line-delimited JSON-RPC and,
// when a connection opens with an HTTP request line, HTTP (dashboard, /getstat1, /api/status,
// /metrics, JSON-RPC over POST). A negative port is read-only. Loopback unless told otherwise.
import http from 'node:http';
import net from 'node:net';
import type { Logger } from '../util/log.js';
import { uriHost } from '../net/wire/uri.js';
import { createHttpRoutes, type ApiAccessOptions } from './http-routes.js';
import { createRigMetrics } from './metrics.js';
import { PasswordThrottle } from './password-throttle.js';
import { answer, type ApiContext, type ApiSession } from './rpc-methods.js';
import { RpcCodes, type JsonRpcResponse } from '../net/wire/json-rpc.js';
import type { RigControl } from './rig-control.js';
import type { RigStatusSource } from './rig-status.js';

export interface ApiServerOptions {
  /** serominer's --api-port: the port, negative for read-only. */
  readonly port: number;
  /** Address to listen on (default 127.0.0.1). */
  readonly bind?: string;
  /** Control methods need it; without it they are refused. */
  readonly password?: string;
  readonly source: RigStatusSource;
  readonly control: RigControl;
  readonly guard?: ApiAccessOptions;
  readonly log: Logger;
  /** Connections at once (default 64). */
  readonly maxConnections?: number;
  readonly eventIntervalMs?: number;
  /** The port bound beforehand (listenApi), so a taken port was found before anything started; `port` and `bind` are then its. */
  readonly listener?: ApiListener;
}

/** The API's port, bound before the rig starts; connections wait there until the API serves them. */
export interface ApiListener {
  readonly host: string;
  readonly port: number;
  /** Hands every connection, those that came while waiting first, to `serve`. */
  serve(handler: (socket: net.Socket) => void): net.Server;
  close(): Promise<void>;
}

/** Binds the API's port (`port` negative: read-only, the absolute value is bound). */
export async function listenApi(port: number, bind = '127.0.0.1'): Promise<ApiListener> {
  const server = net.createServer();
  const waiting = new Set<net.Socket>();
  const hold = (socket: net.Socket) => {
    waiting.add(socket);
    socket.once('close', () => waiting.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  server.on('connection', hold);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Math.abs(port), bind, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    host: bind,
    port: (server.address() as net.AddressInfo).port,
    serve(handler) {
      server.off('connection', hold);
      server.on('connection', handler);
      for (const socket of waiting) if (!socket.destroyed) handler(socket);
      waiting.clear();
      return server;
    },
    close() {
      for (const socket of waiting) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export interface ApiServer {
  readonly host: string;
  readonly port: number;
  readonly readOnly: boolean;
  close(): Promise<void>;
}

/** Longest JSON-RPC line, and the most bytes before a connection shows what it speaks (serominer's 32 KiB). */
const MAX_LINE_BYTES = 32 * 1024;
/** An idle raw connection is closed after this long. */
const IDLE_MS = 10 * 60_000;
const HTTP_REQUEST_LINE = /^[A-Z]{3,7} \S+ HTTP\/1\.\d/;

/** Parses `--api-port`: a port from 1 to 65535, negative for read-only (serominer's rule). */
export function parseApiPort(text: string): number {
  if (!/^-?[0-9]+$/.test(text.trim())) throw new Error(`expected a port (1..65535, negative for read-only), got ${JSON.stringify(text)}`);
  const value = Number(text);
  if (value === 0 || Math.abs(value) > 65535) throw new Error(`expected a port (1..65535, negative for read-only), got ${value}`);
  return value;
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const readOnly = options.port < 0;
  const host = options.listener?.host ?? options.bind ?? '127.0.0.1';
  const log = options.log;
  let badPasswords = 0;
  const rpc: ApiContext = {
    status: () => options.source.snapshot(),
    control: options.control,
    readOnly,
    password: options.password,
    throttle: new PasswordThrottle(),
    onBadPassword: () => {
      badPasswords++;
      log('warn', `API: invalid password (${badPasswords} so far)`);
    },
  };
  const routes = createHttpRoutes({ rpc, source: options.source, metrics: createRigMetrics(rpc.status), guard: options.guard, eventIntervalMs: options.eventIntervalMs });
  const httpServer = http.createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => routes.handle(req, res));
  httpServer.on('clientError', (_err, socket) => socket.destroy());

  const serveJsonRpc = (socket: net.Socket, first: Buffer): void => {
    const session: ApiSession = { authorized: false, remote: socket.remoteAddress ?? 'unknown' };
    let buffered = '';
    const reply = (response: JsonRpcResponse | JsonRpcResponse[]) => { if (!socket.destroyed) socket.write(`${JSON.stringify(response)}\n`); };
    const take = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line === '') continue;
        let message: unknown;
        try {
          message = JSON.parse(line);
        } catch (err) {
          reply({ id: null, jsonrpc: '2.0', error: { code: RpcCodes.parseError, message: `Json parse error : ${(err as Error).message}` } });
          continue;
        }
        reply(Array.isArray(message) ? message.map((m) => answer(m, session, rpc)) : answer(message, session, rpc));
      }
      if (Buffer.byteLength(buffered) > MAX_LINE_BYTES) {
        log('warn', `API: ${socket.remoteAddress} sent a line over ${MAX_LINE_BYTES} bytes; disconnecting`);
        socket.destroy();
      }
    };
    socket.on('data', take);
    take(first);
  };

  const sockets = new Set<net.Socket>();
  const listener = options.listener ?? (await listenApi(options.port, host));
  const server = listener.serve((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    let head = Buffer.alloc(0);
    const sniff = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const text = head.toString('latin1');
      // JSON starts with { or [; an HTTP request line is only known once it is complete
      const maybeHttp = /^[A-Z]{0,7}$|^[A-Z]{3,7} /.test(text);
      if (maybeHttp && !text.includes('\n') && head.length <= MAX_LINE_BYTES) return;
      socket.off('data', sniff);
      if (HTTP_REQUEST_LINE.test(text)) {
        socket.setTimeout(0);
        socket.pause();
        socket.unshift(head);
        httpServer.emit('connection', socket);
        process.nextTick(() => socket.resume());
      } else if (head.length > MAX_LINE_BYTES) {
        socket.destroy();
      } else {
        serveJsonRpc(socket, head);
      }
    };
    socket.on('data', sniff);
  });
  server.maxConnections = options.maxConnections ?? 64;
  const address = server.address() as net.AddressInfo;
  const control = readOnly ? 'read-only' : options.password ? 'control needs the password' : 'read-only (no --api-password, so no control)';
  log('info', `API listening on ${uriHost(host)}:${address.port} (JSON-RPC and HTTP; ${control})`);
  return {
    host,
    port: address.port,
    readOnly,
    async close() {
      routes.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
