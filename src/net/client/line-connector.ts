// The miner's connector in Node: a TCP, TLS or WebSocket connection to a pool as a line channel,
// with serominer's TLS choices (system CAs, an extra CA, no check, TLS 1.2 only). The page
// bundle swaps in the browser's WebSocket connector (web/page/platform/line-connector.ts).
import net from 'node:net';
import tls from 'node:tls';
import WebSocket from 'ws';
import type { LineChannel, LineConnectOptions, TlsClientOptions } from '../wire/line-transport.js';
import { SocketLineChannel, WebSocketLineChannel } from '../wire/socket-channels.js';
import { uriHost } from '../wire/uri.js';

/** Said with every certificate failure: how to trust a pool's certificate, or skip the check. */
const CERTIFICATE_HINT =
  "to trust this pool's certificate give its CA with --tls-ca <file> (or SSL_CERT_FILE=<file>); to skip the check: --tls-insecure (or SSL_NOVERIFY=1)";

/** A TLS failure about the peer's certificate (untrusted, expired, wrong name) gets the hint. */
function withCertificateHint(err: Error): Error {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (!/CERT|SELF_SIGNED|VERIFY|ISSUER|ALTNAME/.test(code)) return err;
  const hinted = new Error(`${err.message} (${CERTIFICATE_HINT})`);
  (hinted as NodeJS.ErrnoException).code = code;
  return hinted;
}

/** Node's connector: TCP, TLS or WebSocket sockets. */
export function connectLineChannel(options: LineConnectOptions): Promise<LineChannel> {
  return options.transport === 'ws' || options.transport === 'wss' ? connectWebSocket(options) : connectSocket(options);
}

function tlsSettings(options: TlsClientOptions | undefined): tls.ConnectionOptions {
  const settings: tls.ConnectionOptions = { rejectUnauthorized: options?.rejectUnauthorized ?? true };
  if (options?.ca !== undefined) settings.ca = options.ca as tls.ConnectionOptions['ca'];
  if (options?.tls12Only) {
    settings.minVersion = 'TLSv1.2';
    settings.maxVersion = 'TLSv1.2';
  }
  return settings;
}

function connectSocket(options: LineConnectOptions): Promise<LineChannel> {
  return new Promise((resolve, reject) => {
    const secure = options.transport === 'tls';
    const socket = secure
      ? tls.connect({ host: options.host, port: options.port, servername: net.isIP(options.host) ? undefined : options.host, ...tlsSettings(options.tls) })
      : net.connect({ host: options.host, port: options.port });
    let timer: NodeJS.Timeout | undefined;
    const fail = (err: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    timer = setTimeout(() => fail(new Error(`connect to ${options.host}:${options.port} timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
    socket.once('error', (err) => fail(withCertificateHint(err)));
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      resolve(new SocketLineChannel(socket, options.maxLineBytes));
    });
  });
}

function connectWebSocket(options: LineConnectOptions): Promise<LineChannel> {
  return new Promise((resolve, reject) => {
    const scheme = options.transport === 'wss' ? 'wss' : 'ws';
    const url = `${scheme}://${uriHost(options.host)}:${options.port}${options.path && options.path.length > 0 ? options.path : '/'}`;
    const ws = new WebSocket(url, {
      handshakeTimeout: options.timeoutMs,
      maxPayload: options.maxLineBytes * 4,
      ...(scheme === 'wss' ? tlsSettings(options.tls) : {}),
    });
    const fail = (err: Error): void => {
      ws.terminate();
      reject(withCertificateHint(err));
    };
    ws.once('error', fail);
    ws.once('open', () => {
      ws.off('error', fail);
      resolve(new WebSocketLineChannel(ws, `${options.host}:${options.port}`, options.maxLineBytes));
    });
  });
}
