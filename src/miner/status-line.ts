// The live status line: hashrate, shares as serominer counts them, blocks and credited SERO.
import { formatSero } from '../util/sero-amount.js';
import type { ShareCounts } from './miner.js';

export interface StatusSnapshot {
  hashrate: number;
  shares: ShareCounts;
  blocks: { pending: number; confirmed: number; orphaned: number; credit: bigint };
  height?: number;
  uptimeSeconds: number;
}

export function formatHashrate(hps: number): string {
  const units = ['H/s', 'kH/s', 'MH/s', 'GH/s', 'TH/s'];
  let value = hps;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) { value /= 1000; unit++; }
  return `${value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)} ${units[unit]}`;
}

function formatUptime(seconds: number): string {
  const s = Math.floor(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

export function formatStatus(s: StatusSnapshot): string {
  const { accepted, stale, rejected } = s.shares;
  const b = s.blocks;
  return [
    formatUptime(s.uptimeSeconds),
    formatHashrate(s.hashrate),
    `A${accepted}${stale ? `+${stale}` : ''}:R${rejected}`,
    `blocks ${b.pending} pending / ${b.confirmed} confirmed / ${b.orphaned} orphaned`,
    `credited ${formatSero(b.credit)} SERO`,
    s.height !== undefined ? `height ${s.height}` : 'waiting for work',
  ].join('  ');
}
