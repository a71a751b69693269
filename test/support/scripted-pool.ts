// A stratum1 pool scripted by a test: it logs anyone in (echoing the extensions asked for), hands
// out one job, and answers each share as the script decides, then sends whatever the script
// wrote for it (vote-extension notices, forged or not) after the reply.
import net from 'node:net';

export interface ScriptedShare {
  readonly nonce: string;
  readonly header: string;
  readonly mix: string;
}

/** Decides a share: false refuses it (`result: false`); what it writes goes out after the reply. */
export type ShareScript = (share: ScriptedShare, write: (message: object) => void) => boolean | void;

export interface ScriptedPool {
  readonly port: number;
  close(): Promise<void>;
}

export async function scriptedPool(job: readonly string[], onShare: ShareScript): Promise<ScriptedPool> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const write = (message: object) => socket.write(`${JSON.stringify(message)}\n`);
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const message = JSON.parse(buffer.slice(0, nl)) as { id: number; method: string; params: string[]; extensions?: string[] };
        buffer = buffer.slice(nl + 1);
        if (message.method === 'sero_submitLogin') write({ id: message.id, jsonrpc: '2.0', result: true, extensions: message.extensions });
        else if (message.method === 'sero_getWork') write({ id: message.id, jsonrpc: '2.0', result: job });
        else if (message.method === 'sero_submitWork') {
          const [nonce, header, mix] = message.params as [string, string, string];
          const after: object[] = [];
          const accepted = onShare({ nonce, header, mix }, (m) => after.push(m)) !== false;
          write({ id: message.id, jsonrpc: '2.0', result: accepted });
          after.forEach(write);
        } else if (message.id !== undefined) write({ id: message.id, jsonrpc: '2.0', result: true });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => { for (const socket of sockets) socket.destroy(); return new Promise<void>((resolve) => server.close(() => resolve())); },
  };
}
