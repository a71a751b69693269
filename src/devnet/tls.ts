// A throwaway self-signed certificate for the devnet's TLS endpoints (stratum1+tls, wss).
// Node cannot issue X.509 certificates itself, so this asks the openssl command line.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TlsServerCredentials } from '../net/server/line-listener.js';

const run = promisify(execFile);

/** An EC P-256 key and a certificate for localhost/127.0.0.1/::1, valid for 30 days. */
export async function selfSignedCertificate(hostName = 'localhost'): Promise<TlsServerCredentials> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sero-devnet-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  try {
    await run('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '30', '-subj', `/CN=${hostName}`,
      '-addext', `subjectAltName=DNS:${hostName},DNS:localhost,IP:127.0.0.1,IP:::1`,
    ], { timeout: 20_000 });
    return { key: await readFile(keyFile), cert: await readFile(certFile) };
  } catch (err) {
    throw new Error(`could not create a self-signed certificate with openssl: ${(err as Error).message.split('\n')[0]}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function loadCertificate(keyFile: string, certFile: string): Promise<TlsServerCredentials> {
  return { key: await readFile(keyFile), cert: await readFile(certFile) };
}
