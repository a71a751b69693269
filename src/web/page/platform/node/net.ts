// node:net in the page bundle: address checks work; sockets do not exist in a browser, so
// opening one says what to use instead.

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIPv4(address: string): boolean {
  return IPV4.test(address);
}

export function isIPv6(address: string): boolean {
  if (!address.includes(':') || /[^0-9a-fA-F:.%]/.test(address.split('%')[0]!)) return false;
  try {
    new URL(`http://[${address.split('%')[0]}]/`);
    return true;
  } catch {
    return false;
  }
}

export function isIP(address: string): number {
  return isIPv4(address) ? 4 : isIPv6(address) ? 6 : 0;
}

function noSockets(): never {
  throw new Error('a browser cannot open TCP or TLS connections: use a stratum1+ws:// or stratum1+wss:// pool');
}

export const connect = noSockets;
export const createConnection = noSockets;
export const createServer = noSockets;

export default { isIP, isIPv4, isIPv6, connect, createConnection, createServer };
