// Server side of the line transports: accepts TCP, TLS or WebSocket connections and hands
// each one to the owner as a LineChannel.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { WebSocketServer } from 'ws';
import { type LineChannel, type LineTransport, SocketLineChannel, WebSocketLineChannel } from './line-transport.js';
import type { Logger } from '../util/log.js';

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

export interface LineListener {
  readonly transport: LineTransport;
  readonly host: string;
  readonly port: number;
  /** Stops accepting and drops every channel it accepted. */
  close(): Promise<void>;
}

export async function listenForLines(
  options: LineListenOptions,
  maxLineBytes: number,
  logger: Logger,
  onChannel: (channel: LineChannel) => void,
): Promise<LineListener> {
  const host = options.host ?? '127.0.0.1';
  const secure = options.transport === 'tls' || options.transport === 'wss';
  if (secure && options.tls === undefined) throw new Error(`${options.transport} listener needs a key and certificate`);
  const channels = new Set<LineChannel>();
  const track = (channel: LineChannel): void => {
    channels.add(channel);
    channel.once('close', () => channels.delete(channel));
    onChannel(channel);
  };

  let server: net.Server;
  let wss: WebSocketServer | undefined;
  if (options.transport === 'tcp') {
    server = net.createServer((socket) => track(new SocketLineChannel(socket, maxLineBytes)));
  } else if (options.transport === 'tls') {
    const tlsServer = tls.createServer({ key: options.tls!.key, cert: options.tls!.cert }, (socket) => track(new SocketLineChannel(socket, maxLineBytes)));
    tlsServer.on('tlsClientError', (err, socket) => logger('debug', `TLS handshake with ${socket.remoteAddress ?? '?'} failed: ${err.message}`));
    server = tlsServer;
  } else {
    const httpServer = options.transport === 'wss' ? https.createServer({ key: options.tls!.key, cert: options.tls!.cert }) : http.createServer();
    httpServer.on('request', (_req, res) => {
      res.writeHead(426, { 'Content-Type': 'text/plain' }).end('WebSocket upgrade required\n');
    });
    // Room for a few lines per message; the line cap itself is enforced by the channel.
    wss = new WebSocketServer({ server: httpServer, maxPayload: maxLineBytes * 4 });
    wss.on('connection', (ws, req) => {
      const remote = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
      track(new WebSocketLineChannel(ws, remote, maxLineBytes));
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
