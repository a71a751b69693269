// Where a DAG lives on the GPU, in one of two forms. 'buffers': split over storage buffers of
// whole 256-byte entries, so no entry straddles two bindings, each buffer within the binding
// and buffer size limits (the kernel picks the buffer with a switch). 'texture': one 2D array
// texture of rgba32uint texels, one texel per 16 bytes, rows of a power-of-two width: a
// single binding whatever the size, so no switch (what software adapters, which run the
// switch lane by lane, want).
import { DAG_ENTRY_BYTES, dagEntries, HASH_BYTES } from '../../pow/epoch.js';
import { PROGPOW_CACHE_BYTES, PROGPOW_LANES } from '../../pow/progpow-program.js';

/** Items (64 bytes) per ProgPoW entry (256 bytes). */
export const ITEMS_PER_ENTRY = DAG_ENTRY_BYTES / HASH_BYTES;
/** Bytes of one texel (a vec4<u32> of DAG words): what a lane loads per round. */
export const TEXEL_BYTES = 16;
/** Texels per entry: one per lane. */
export const TEXELS_PER_ENTRY = DAG_ENTRY_BYTES / TEXEL_BYTES;
/** Kernel indices are u32: the texel index of the last entry's last word group must fit. */
export const MAX_U32 = 2 ** 32 - 1;

export type DagStorage = 'buffers' | 'texture';

export interface DagLayout {
  readonly kind: 'buffers';
  /** 256-byte entries ProgPoW addresses: floor(datasetSize / 256). */
  readonly entries: number;
  /** Entries in every buffer but the last. */
  readonly entriesPerChunk: number;
  /** Entries in each buffer. */
  readonly chunkEntries: readonly number[];
  readonly totalBytes: number;
}

export interface TextureDagLayout {
  readonly kind: 'texture';
  readonly entries: number;
  /** Texels per row: a power of two. */
  readonly width: number;
  /** Rows per array layer. */
  readonly height: number;
  readonly layers: number;
  readonly totalBytes: number;
  /** Bytes the texture allocates (whole rows of every layer). */
  readonly textureBytes: number;
}

export type GpuDagLayout = DagLayout | TextureDagLayout;

export function planDagLayout(datasetSize: number, maxBindingBytes: number, maxBufferBytes = maxBindingBytes): DagLayout {
  const entries = dagEntries(datasetSize);
  const perChunk = Math.floor(Math.min(maxBindingBytes, maxBufferBytes) / DAG_ENTRY_BYTES);
  // The ProgPoW cache, the first 16 KiB of the DAG, is read from the first buffer.
  if (perChunk * DAG_ENTRY_BYTES < PROGPOW_CACHE_BYTES) {
    throw new RangeError(`a storage binding of ${maxBindingBytes} bytes cannot hold the ${PROGPOW_CACHE_BYTES / 1024} KiB ProgPoW cache`);
  }
  const entriesPerChunk = Math.min(perChunk, entries);
  // The kernel's index inside a buffer: (entry - chunk * entriesPerChunk) * 16 + 15.
  if (entriesPerChunk * PROGPOW_LANES - 1 > MAX_U32) throw new RangeError(`${entriesPerChunk} entries per buffer overflow the kernel's u32 index`);
  const chunkEntries: number[] = [];
  for (let first = 0; first < entries; first += entriesPerChunk) chunkEntries.push(Math.min(entriesPerChunk, entries - first));
  return { kind: 'buffers', entries, entriesPerChunk, chunkEntries, totalBytes: entries * DAG_ENTRY_BYTES };
}

/** The largest power of two at most n (0 below 1). */
export function floorPow2(n: number): number {
  return n >= 1 ? 2 ** Math.floor(Math.log2(n)) : 0;
}

/** A texture of at most maxDimension texels a side and maxLayers layers, layers as even as rows allow. */
export function planTextureLayout(datasetSize: number, maxDimension: number, maxLayers: number): TextureDagLayout {
  const entries = dagEntries(datasetSize);
  const texels = entries * TEXELS_PER_ENTRY;
  if (texels - 1 > MAX_U32) throw new RangeError(`a DAG of ${entries} entries overflows the kernel's u32 texel index`);
  const width = floorPow2(maxDimension);
  if (width < TEXELS_PER_ENTRY) throw new RangeError(`a texture dimension of ${maxDimension} cannot hold one DAG entry per row`);
  const rows = Math.ceil(texels / width);
  const layers = Math.ceil(rows / maxDimension);
  if (layers > maxLayers) throw new RangeError(`the DAG needs ${layers} texture layers of ${maxDimension} rows, the adapter allows ${maxLayers}`);
  const height = Math.ceil(rows / layers);
  return { kind: 'texture', entries, width, height, layers, totalBytes: entries * DAG_ENTRY_BYTES, textureBytes: width * height * layers * TEXEL_BYTES };
}

/** Which buffer holds an entry, and the entry's index inside it. */
export function locateEntry(layout: DagLayout, entry: number): { chunk: number; index: number } {
  const chunk = Math.floor(entry / layout.entriesPerChunk);
  return { chunk, index: entry - chunk * layout.entriesPerChunk };
}

/** Where a texel (16 bytes of the DAG, counted from its start) lies in the texture. */
export function locateTexel(layout: TextureDagLayout, texel: number): { x: number; y: number; layer: number } {
  const row = Math.floor(texel / layout.width);
  const layer = Math.floor(row / layout.height);
  return { x: texel % layout.width, y: row - layer * layout.height, layer };
}

/** A piece of the DAG built in one go: whole rows of one texture layer, or one buffer. */
export interface DagChunk {
  /** Global index of its first item. */
  readonly firstItem: number;
  /** Items of the dataset in it (the last chunk of a texture may end inside a row). */
  readonly items: number;
  /** Texture only: where its rows go. */
  readonly layer: number;
  readonly row: number;
  readonly rows: number;
}

/** Chunks of a texture layout of at most maxChunkBytes each (the staging buffer the build writes). */
export function textureChunks(layout: TextureDagLayout, maxChunkBytes: number): DagChunk[] {
  const rowBytes = layout.width * TEXEL_BYTES;
  const rowsPerChunk = Math.floor(maxChunkBytes / rowBytes);
  if (rowsPerChunk < 1) throw new RangeError(`a staging buffer of ${maxChunkBytes} bytes cannot hold a texture row of ${rowBytes}`);
  const itemsPerRow = rowBytes / HASH_BYTES;
  const totalItems = layout.entries * ITEMS_PER_ENTRY;
  const chunks: DagChunk[] = [];
  for (let layer = 0; layer < layout.layers; layer++) {
    for (let row = 0; row < layout.height; row += rowsPerChunk) {
      const rows = Math.min(rowsPerChunk, layout.height - row);
      const firstItem = (layer * layout.height + row) * itemsPerRow;
      if (firstItem >= totalItems) return chunks;
      chunks.push({ firstItem, items: Math.min(rows * itemsPerRow, totalItems - firstItem), layer, row, rows });
    }
  }
  return chunks;
}
