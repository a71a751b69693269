// The node JSON-RPC over WebSocket: upgrades pass the same Host, Origin and token checks as HTTP;
// each connection's messages are answered one at a time, and it is not read while its replies
// pile up unread, then dropped when it stays behind (geth's model); its subscriptions
// (`sero_subscribe`/`eth_subscribe` "newHeads") get what is published to them.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { RpcCodes, RpcError } from '../../wire/json-rpc.js';
import { rawDataToBuffer } from '../../wire/socket-channels.js';
import type { RequestGuard } from '../http-guard.js';
import { bytesTo0x } from '../../../util/hex.js';
import type { LogFolder } from '../../../util/log-fold.js';
import type { Logger } from '../../../util/log.js';
import type { Authentication } from './http-transport.js';
import { positionalParams, type RpcCallContext, type RpcSubscriber } from './registry.js';

export interface RpcWebSocketSettings {
  readonly guard: RequestGuard;
  readonly folder: LogFolder;
  readonly logger: Logger;
  /** Largest accepted message. */
  readonly maxBodyBytes: number;
  /** Subscription kinds clients may ask for. */
  readonly subscriptionKinds: ReadonlySet<string>;
  /** Subscriptions one WebSocket may hold. */
  readonly maxSubscriptions: number;
  /** Unsent bytes of one WebSocket above which it is no longer read. */
  readonly maxBufferedBytes: number;
  /** A WebSocket still that far behind after this long is dropped. */
  readonly slowReaderMs: number;
  readonly authentication: (req: http.IncomingMessage) => Authentication;
  readonly handle: (body: string, context: RpcCallContext, subscriber: RpcSubscriber) => Promise<string | undefined>;
}

interface Subscription {
  readonly kind: string;
  /** `eth_subscription` or `sero_subscription`, matching the namespace used to subscribe. */
  readonly method: string;
}

/** Messages of one WebSocket queued for handling before it is paused. */
const WS_QUEUE_PAUSE = 8;
const WS_POLL_MS = 20;

/** One WebSocket connection and its subscriptions. */
class WsPeer implements RpcSubscriber {
  readonly subscriptions = new Map<string, Subscription>();

  constructor(readonly socket: WebSocket, private readonly settings: RpcWebSocketSettings) {}

  subscribe(namespace: 'eth' | 'sero', params: unknown): string {
    const { subscriptionKinds, maxSubscriptions } = this.settings;
    const [kind] = positionalParams(params, 1, 2);
    if (typeof kind !== 'string' || !subscriptionKinds.has(kind)) {
      throw new RpcError(RpcCodes.invalidParams, `unsupported subscription ${JSON.stringify(kind)} (available: ${[...subscriptionKinds].join(', ')})`);
    }
    if (this.subscriptions.size >= maxSubscriptions) {
      throw new RpcError(RpcCodes.serverError, `too many subscriptions on this connection (limit ${maxSubscriptions})`);
    }
    const id = bytesTo0x(randomBytes(16));
    this.subscriptions.set(id, { kind, method: `${namespace}_subscription` });
    return id;
  }

  unsubscribe(subscription: string): boolean {
    return this.subscriptions.delete(subscription);
  }
}

export class RpcWebSockets {
  private readonly peers = new Set<WsPeer>();
  private readonly wss: WebSocketServer;

  constructor(private readonly settings: RpcWebSocketSettings) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: settings.maxBodyBytes });
  }

  /** Sends `payload` to every subscription of `kind` (for example each new head). */
  publish(kind: string, payload: unknown): void {
    for (const peer of this.peers) {
      if (peer.socket.readyState !== WebSocket.OPEN) continue;
      let message: string | undefined;
      for (const [subscription, entry] of peer.subscriptions) {
        if (entry.kind !== kind) continue;
        // A subscriber that reads nothing would otherwise collect every notification in memory.
        if (peer.socket.bufferedAmount > 4 * this.settings.maxBufferedBytes) {
          this.settings.logger('info', `dropping a WebSocket subscriber that does not read its notifications`);
          peer.socket.terminate();
          break;
        }
        message = JSON.stringify({ jsonrpc: '2.0', method: entry.method, params: { subscription, result: payload } });
        peer.socket.send(message);
      }
    }
  }

  /** An HTTP upgrade request on the server's port. */
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const verdict = this.settings.guard.check(req);
    const auth = this.settings.authentication(req);
    if (!verdict.ok || auth === 'wrong') {
      const [status, reason] = verdict.ok ? [401, 'invalid token'] : [verdict.status, verdict.reason];
      this.settings.folder.log(req.socket.remoteAddress ?? '?', 'WebSocket refused', 'info', `refused WebSocket from ${req.socket.remoteAddress ?? '?'}: ${reason}`);
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${reason}\n`);
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws, req, auth === 'yes'));
  }

  /** Drops every connection. */
  close(): void {
    for (const peer of this.peers) peer.socket.terminate();
    this.wss.close();
  }

  /**
   * Messages are handled one at a time. While replies pile up unread, or messages queue up,
   * the socket is not read; one that stays behind for slowReaderMs is dropped.
   */
  private serve(socket: WebSocket, req: http.IncomingMessage, authenticated: boolean): void {
    const { logger, maxBodyBytes, maxBufferedBytes, slowReaderMs } = this.settings;
    const peer = new WsPeer(socket, this.settings);
    const context: RpcCallContext = { transport: 'ws', path: req.url ?? '/', remoteAddress: req.socket.remoteAddress ?? '?', authenticated };
    const queue: string[] = [];
    let queuedBytes = 0;
    let working = false;
    let pausedAt: number | undefined;
    let poll: NodeJS.Timeout | undefined;
    this.peers.add(peer);
    const backlogged = (): boolean => socket.bufferedAmount > maxBufferedBytes;
    const checkFlow = (): void => {
      if (socket.readyState !== WebSocket.OPEN) return;
      if (queue.length >= WS_QUEUE_PAUSE || backlogged()) {
        if (pausedAt === undefined) {
          pausedAt = Date.now();
          socket.pause();
          poll = setInterval(checkFlow, WS_POLL_MS);
        } else if (backlogged() && Date.now() - pausedAt > slowReaderMs) {
          logger('info', `dropping WebSocket ${context.remoteAddress}: ${socket.bufferedAmount} bytes unread for ${slowReaderMs} ms`);
          socket.terminate();
        }
        if (!backlogged()) void work();
      } else if (pausedAt !== undefined && socket.bufferedAmount <= maxBufferedBytes / 2) {
        pausedAt = undefined;
        clearInterval(poll);
        socket.resume();
        void work();
      }
    };
    /** Handles queued messages while the peer keeps up with the replies. */
    const work = async (): Promise<void> => {
      if (working) return;
      working = true;
      while (queue.length > 0 && !backlogged() && socket.readyState === WebSocket.OPEN) {
        const body = queue.shift()!;
        queuedBytes -= body.length;
        try {
          const reply = await this.settings.handle(body, context, peer);
          if (reply !== undefined && socket.readyState === WebSocket.OPEN) socket.send(reply);
        } catch (err) {
          logger('error', `JSON-RPC handler crashed: ${(err as Error).message}`);
        }
      }
      working = false;
      checkFlow();
    };
    socket.on('close', () => {
      clearInterval(poll);
      queue.length = 0;
      this.peers.delete(peer);
    });
    socket.on('error', (err) => logger('debug', `JSON-RPC WebSocket ${context.remoteAddress}: ${err.message}`));
    socket.on('message', (data) => {
      // A paused socket still delivers what it had read (a chunk or so); far more is abuse.
      const body = rawDataToBuffer(data).toString('utf8');
      queuedBytes += body.length;
      if (queuedBytes > 2 * maxBodyBytes) {
        logger('info', `dropping WebSocket ${context.remoteAddress}: more than ${2 * maxBodyBytes} bytes of requests queued`);
        socket.terminate();
        return;
      }
      queue.push(body);
      checkFlow();
      void work();
    });
  }
}
