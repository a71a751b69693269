// A farm tool's view of the miner API: a line-delimited JSON-RPC client over TCP, JSON-RPC over
// HTTP, and a free loopback port to start a miner's API on.
import http from 'node:http';
import net from 'node:net';

export interface RpcReply {
  id: unknown;
  jsonrpc: string;
  result?: any;
  error?: { code: number; message: string };
}

/** A port nothing listens on right now (the OS's choice, released at once). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One TCP connection speaking serominer's API: a JSON object per line each way. */
export class TcpRpcClient {
  private buffer = '';
  private readonly pending: ((reply: RpcReply) => void)[] = [];
  private nextId = 1;
  readonly closed: Promise<void>;

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let nl = this.buffer.indexOf('\n'); nl >= 0; nl = this.buffer.indexOf('\n')) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        this.pending.shift()?.(JSON.parse(line) as RpcReply);
      }
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static connect(port: number, host = '127.0.0.1'): Promise<TcpRpcClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host }, () => resolve(new TcpRpcClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends a raw line and waits for the next reply line. */
  sendLine(line: string): Promise<RpcReply> {
    return new Promise((resolve) => {
      this.pending.push(resolve);
      this.socket.write(`${line}\n`);
    });
  }

  call(method: string, params?: unknown): Promise<RpcReply> {
    return this.sendLine(JSON.stringify({ id: this.nextId++, jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) }));
  }

  write(data: string): void {
    this.socket.write(data);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** JSON-RPC over HTTP: POST / with the request (or a batch) as the body. */
export async function httpRpc(port: number, body: unknown, headers: Record<string, string> = {}): Promise<any> {
  const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return response.json();
}

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request with exactly these headers (Host and Origin included, which fetch would not send), on a connection of its own. */
export function httpRequest(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
