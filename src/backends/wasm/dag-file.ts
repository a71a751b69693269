// On-disk DAG cache, so an epoch is not rebuilt on every start. The header names the DAG
// (epoch, mode, size, seed hash) and carries a SHA-256 per 64 MiB block plus one over the
// header itself; a file that is truncated, of another DAG or fails any digest is rejected
// and the caller rebuilds it. Files are written under a temporary name and renamed; the
// temporary file never outlives a failed write, and one left by a killed process is removed.
// A cache that cannot be written costs one warning: mining goes on from memory.
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HASH_BYTES, type DagSpec } from '../../pow/epoch.js';
import { bytesToHex } from '../../util/hex.js';
import type { Logger } from '../../util/log.js';
import type { DagStore } from './dag-store.js';
import type { PowInstance } from './instance.js';

const MAGIC = 'SERODAG1';
const VERSION = 1;
export const DAG_FILE_BLOCK_BYTES = 64 * 1024 * 1024;
const FIXED_HEADER_BYTES = 72;
const DIGEST_BYTES = 32;

export function dagFileName(spec: DagSpec): string {
  const seed = bytesToHex(spec.seedHash).slice(0, 16);
  return `progpow-${spec.mode}-epoch${spec.epoch}-${seed}.dag`;
}

export function dagFilePath(dir: string, spec: DagSpec): string {
  return join(dir, dagFileName(spec));
}

function blockCount(bytes: number): number {
  return Math.ceil(bytes / DAG_FILE_BLOCK_BYTES);
}

function headerBytes(bytes: number): number {
  return FIXED_HEADER_BYTES + DIGEST_BYTES * blockCount(bytes) + DIGEST_BYTES;
}

function encodeHeader(spec: DagSpec, dagBytes: number, blockDigests: Buffer[]): Buffer {
  const header = Buffer.alloc(headerBytes(dagBytes));
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(VERSION, 8);
  header.writeUInt32LE(header.length, 12);
  header.writeUInt32LE(spec.epoch, 16);
  header.writeUInt32LE(spec.mode === 'full' ? 0 : 1, 20);
  header.writeBigUInt64LE(BigInt(dagBytes), 24);
  Buffer.from(spec.seedHash).copy(header, 32);
  header.writeUInt32LE(DAG_FILE_BLOCK_BYTES, 64);
  header.writeUInt32LE(blockDigests.length, 68);
  blockDigests.forEach((d, i) => d.copy(header, FIXED_HEADER_BYTES + DIGEST_BYTES * i));
  const selfDigest = createHash('sha256').update(header.subarray(0, header.length - DIGEST_BYTES)).digest();
  selfDigest.copy(header, header.length - DIGEST_BYTES);
  return header;
}

/** Calls fn for each piece of a block, split where the region is not contiguous. */
async function forEachPiece(region: DagStore, from: number, to: number, fn: (view: Uint8Array, offset: number) => Promise<void>): Promise<void> {
  for (let offset = from; offset < to; ) {
    const length = Math.min(to - offset, region.contiguous(offset));
    await fn(region.view(offset, length), offset);
    offset += length;
  }
}

export type DagFileStatus = 'loaded' | 'missing' | 'corrupt';

/**
 * Reads the DAG of spec from path into region, verifying every digest. Returns 'missing' or
 * 'corrupt' (with the region's content undefined) when the file cannot be trusted.
 */
export async function loadDagFile(path: string, spec: DagSpec, region: DagStore): Promise<DagFileStatus> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return 'missing';
  }
  const expectedHeader = headerBytes(region.bytes);
  if (size !== expectedHeader + region.bytes) return 'corrupt';
  const file = await open(path, 'r');
  try {
    const header = Buffer.alloc(expectedHeader);
    if ((await file.read(header, 0, header.length, 0)).bytesRead !== header.length) return 'corrupt';
    const blocks = blockCount(region.bytes);
    const digests = Array.from({ length: blocks }, (_, i) =>
      header.subarray(FIXED_HEADER_BYTES + DIGEST_BYTES * i, FIXED_HEADER_BYTES + DIGEST_BYTES * (i + 1)));
    if (!encodeHeader(spec, region.bytes, digests).equals(header)) return 'corrupt';
    for (let b = 0; b < blocks; b++) {
      const from = b * DAG_FILE_BLOCK_BYTES;
      const to = Math.min(region.bytes, from + DAG_FILE_BLOCK_BYTES);
      const hash = createHash('sha256');
      let short = false;
      await forEachPiece(region, from, to, async (view, offset) => {
        const { bytesRead } = await file.read(view, 0, view.length, expectedHeader + offset);
        if (bytesRead !== view.length) short = true;
        hash.update(view);
      });
      if (short || !hash.digest().equals(digests[b]!)) return 'corrupt';
    }
    return 'loaded';
  } finally {
    await file.close();
  }
}

const TEMP_SUFFIX = /\.(\d+)\.tmp$/;

/** Writes the DAG in region to path (atomically, through a temporary file removed on any failure). */
export async function saveDagFile(path: string, spec: DagSpec, region: DagStore): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  const header = headerBytes(region.bytes);
  try {
    const file = await open(temp, 'w');
    try {
      const digests: Buffer[] = [];
      for (let from = 0; from < region.bytes; from += DAG_FILE_BLOCK_BYTES) {
        const to = Math.min(region.bytes, from + DAG_FILE_BLOCK_BYTES);
        const hash = createHash('sha256');
        await forEachPiece(region, from, to, async (view, offset) => {
          hash.update(view);
          await file.write(view, 0, view.length, header + offset);
        });
        digests.push(hash.digest());
      }
      await file.write(encodeHeader(spec, region.bytes, digests), 0, header, 0);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => {});
    throw err;
  }
}

/** Removes temporary files in `dir` left by processes that are gone (a DAG write cut short). */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = TEMP_SUFFIX.exec(name)?.[1];
    if (pid === undefined || !name.startsWith('progpow-') || processAlive(Number(pid))) continue;
    await rm(join(dir, name), { force: true }).catch(() => {});
    removed.push(name);
  }
  return removed;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The cache directory as a backend uses it: load what is there, save what was built. A save
 * that fails (read-only or full disk, a path that is not a directory) is warned about once;
 * after that the cache is read-only and every DAG is mined from memory.
 */
export class DagFileCache {
  private writable = true;
  private swept = false;

  constructor(readonly dir: string, private readonly log: Logger) {}

  pathOf(spec: DagSpec): string {
    return dagFilePath(this.dir, spec);
  }

  async load(spec: DagSpec, region: DagStore): Promise<DagFileStatus> {
    if (!this.swept) {
      this.swept = true;
      for (const name of await removeStaleTempFiles(this.dir)) this.log('info', `removed ${join(this.dir, name)}, left by an interrupted DAG write`);
    }
    try {
      return await loadDagFile(this.pathOf(spec), spec, region);
    } catch (err) {
      this.log('warn', `cannot read the DAG file ${this.pathOf(spec)}: ${(err as Error).message}; building the DAG`);
      return 'corrupt';
    }
  }

  /** Saves unless an earlier save failed; never throws. */
  async save(spec: DagSpec, region: DagStore): Promise<void> {
    if (!this.writable) return;
    try {
      await saveDagFile(this.pathOf(spec), spec, region);
    } catch (err) {
      this.writable = false;
      this.log('warn', `cannot write the DAG cache in ${this.dir} (${(err as Error).message}): mining from memory; each start builds the DAG again`);
    }
  }
}

/** Items of a loaded DAG compared with items computed from the cache. */
const SPOT_CHECK_ITEMS = 32;

/**
 * A loaded DAG must agree with items the instance computes from its cache at random places
 * and at the last item; `staging` is 64 bytes of the instance's own to compute them into.
 */
export function spotCheckDag(instance: PowInstance, staging: number, store: DagStore): boolean {
  const items = store.bytes / HASH_BYTES;
  for (let i = 0; i < SPOT_CHECK_ITEMS; i++) {
    const index = i === 0 ? items - 1 : Math.floor(Math.random() * items);
    instance.pow.buildItems(staging, index, 1);
    if (!Buffer.from(instance.bytes(staging, HASH_BYTES)).equals(Buffer.from(store.view(index * HASH_BYTES, HASH_BYTES)))) return false;
  }
  return true;
}
