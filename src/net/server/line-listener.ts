// Server side of the line transports: accepts TCP, TLS or WebSocket connections and hands
// each one to the owner as a LineChannel. The owner can refuse a connection the moment it is
// accepted (before any TLS or WebSocket handshake costs anything), and WebSocket upgrades from
// browser pages pass only when their Origin is allowed.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { WebSocketServer } from 'ws';
import type { RequestGuard } from './http-guard.js';
import type { FlowControl, LineChannel, LineTransport } from '../wire/line-transport.js';
import { SocketLineChannel, WebSocketLineChannel } from '../wire/socket-channels.js';
import type { Logger } from '../../util/log.js';

export interface TlsServerCredentials {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
}

export interface LineListenOptions {
  readonly transport: LineTransport;
  /** Defaults to 127.0.0.1: exposing a pool beyond loopback is an explicit choice. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Required for `tls` and `wss`. */
  readonly tls?: TlsServerCredentials;
}

/** What the owner decides for a connection it was just offered. */
export type AcceptDecision<T> = { readonly ok: true; readonly ticket: T } | { readonly ok: false; readonly reason: string };

export interface LineServerHooks<T> {
  readonly maxLineBytes: number;
  readonly logger: Logger;
  /** Called on every accepted socket; `drop` ends it. Refused sockets are destroyed at once. */
  readonly accept: (remoteHost: string, drop: () => void) => AcceptDecision<T>;
  /** Called once the socket is closed, whether it became a channel or not. */
  readonly released: (ticket: T) => void;
  /** A channel is ready (after the TLS or WebSocket handshake). */
  readonly onChannel: (channel: LineChannel, ticket: T) => void;
  readonly flowControl?: FlowControl;
  /** Origin (and Host) check of WebSocket upgrades. */
  readonly webSocketGuard?: RequestGuard;
  /** A TLS handshake or WebSocket upgrade request not done by then is dropped (default 10 s). */
  readonly handshakeTimeoutMs?: number;
}

export interface LineListener {
  readonly transport: LineTransport;
  readonly host: string;
  readonly port: number;
  /** Stops accepting and drops every channel it accepted. */
  close(): Promise<void>;
}

export async function listenForLines<T>(options: LineListenOptions, hooks: LineServerHooks<T>): Promise<LineListener> {
  const { logger, maxLineBytes } = hooks;
  const host = options.host ?? '127.0.0.1';
  const handshakeTimeoutMs = hooks.handshakeTimeoutMs ?? 10_000;
  const secure = options.transport === 'tls' || options.transport === 'wss';
  if (secure && options.tls === undefined) throw new Error(`${options.transport} listener needs a key and certificate`);
  const channels = new Set<LineChannel>();
  /** Tickets of live sockets by `address:port`, which the handshaken socket shares with the raw one. */
  const tickets = new Map<string, T>();
  const keyOf = (socket: net.Socket): string => `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;

  /** Runs on the raw socket, before any handshake. */
  const onConnection = (socket: net.Socket): void => {
    const decision = hooks.accept(socket.remoteAddress ?? '?', () => socket.destroy());
    if (!decision.ok) {
      logger('debug', `refused ${keyOf(socket)}: ${decision.reason}`);
      socket.destroy();
      return;
    }
    const key = keyOf(socket);
    tickets.set(key, decision.ticket);
    socket.once('close', () => {
      tickets.delete(key);
      hooks.released(decision.ticket);
    });
  };
  const track = (channel: LineChannel, socket: net.Socket): void => {
    const ticket = tickets.get(keyOf(socket));
    if (ticket === undefined) {
      channel.destroy('connection was refused');
      return;
    }
    if (hooks.flowControl !== undefined) channel.setFlowControl(hooks.flowControl);
    channels.add(channel);
    channel.once('close', () => channels.delete(channel));
    hooks.onChannel(channel, ticket);
  };

  let server: net.Server;
  let wss: WebSocketServer | undefined;
  if (options.transport === 'tcp') {
    server = net.createServer((socket) => track(new SocketLineChannel(socket, maxLineBytes), socket));
    server.prependListener('connection', onConnection);
  } else if (options.transport === 'tls') {
    const tlsServer = tls.createServer({ key: options.tls!.key, cert: options.tls!.cert, handshakeTimeout: handshakeTimeoutMs }, (socket) =>
      track(new SocketLineChannel(socket, maxLineBytes), socket),
    );
    tlsServer.on('tlsClientError', (err, socket) => logger('debug', `TLS handshake with ${socket.remoteAddress ?? '?'} failed: ${err.message}`));
    tlsServer.prependListener('connection', onConnection);
    server = tlsServer;
  } else {
    const serverOptions = { headersTimeout: handshakeTimeoutMs, requestTimeout: handshakeTimeoutMs };
    const httpServer = options.transport === 'wss' ? https.createServer({ ...serverOptions, key: options.tls!.key, cert: options.tls!.cert }) : http.createServer(serverOptions);
    httpServer.on('request', (_req, res) => {
      res.writeHead(426, { 'Content-Type': 'text/plain' }).end('WebSocket upgrade required\n');
    });
    httpServer.prependListener('connection', onConnection);
    // Room for a few lines per message; the line cap itself is enforced by the channel.
    wss = new WebSocketServer({
      server: httpServer,
      maxPayload: maxLineBytes * 4,
      verifyClient: (info: { req: http.IncomingMessage }, done: (ok: boolean, status?: number, reason?: string) => void) => {
        const verdict = hooks.webSocketGuard?.check(info.req) ?? { ok: true };
        if (verdict.ok) return done(true);
        logger('info', `refused a WebSocket from ${info.req.socket.remoteAddress ?? '?'}: ${verdict.reason}`);
        done(false, verdict.status, verdict.reason);
      },
    });
    wss.on('connection', (ws, req) => {
      const remote = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
      track(new WebSocketLineChannel(ws, remote, maxLineBytes), req.socket);
    });
    wss.on('error', (err) => logger('warn', `WebSocket listener error: ${err.message}`));
    server = httpServer;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => logger('warn', `${options.transport} listener error: ${err.message}`));
  const address = server.address() as net.AddressInfo;

  return {
    transport: options.transport,
    host: address.address,
    port: address.port,
    close: async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const channel of channels) channel.destroy('server shut down');
      wss?.close();
      if (server instanceof http.Server || server instanceof https.Server) server.closeAllConnections();
      await stopped;
    },
  };
}
