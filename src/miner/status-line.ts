// The live status line: hashrate, shares as serominer counts them, blocks and credited SERO of
// the chain being mined, and the ledger when its file cannot be written; with several devices,
// each one's hashrate and shares too; each device's readings (n/a where unknown) and pause; a short
// form, cut to fit, for a terminal narrower than the long one.
// Browser-safe: the dashboard imports it.
import { formatSero } from '../util/sero-amount.js';
import { formatReading, type SensorReading } from '../sensors/reading.js';
import type { JournalHealth } from './held-journal.js';
import type { LedgerTotals } from './ledger-chains.js';
import type { ShareCounts } from './share-counts.js';

/** One device on the status line. */
export interface DeviceSnapshot {
  hashrate: number;
  shares: ShareCounts;
  /** Its readings, shown when sensors are on. */
  sensors?: SensorReading;
  /** Why it is paused (api, heat), if it is. */
  pausedFor?: readonly string[];
}

export interface StatusSnapshot {
  hashrate: number;
  shares: ShareCounts;
  /** Per device: hashrate and shares when there are several; readings and pauses always. */
  devices?: readonly DeviceSnapshot[];
  /** The chain being mined: never a sum over chains. */
  blocks: LedgerTotals;
  height?: number;
  uptimeSeconds: number;
  /** Shown only while records cannot be written. */
  ledger?: JournalHealth;
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

/**
 * serominer's A<accepted>[+stale]:R<rejected>:F<failed> (failed: sent, never answered), then the
 * shares never sent, apart and only when there are some: held back by the cap, wasted.
 */
export function formatShares(s: ShareCounts): string {
  const unsent = [s.held ? ` held ${s.held}` : '', s.wasted ? ` wasted ${s.wasted}` : ''].join('');
  return `A${s.accepted}${s.stale ? `+${s.stale}` : ''}:R${s.rejected}:F${s.failed}${unsent}`;
}

/** The shares in words, for the end-of-run summary: the never-sent ones apart, when there are some. */
export function describeShares(s: ShareCounts): string {
  return [
    `${s.accepted} accepted, ${s.stale} stale, ${s.rejected} rejected, ${s.failed} failed`,
    ...(s.held ? [`${s.held} held back by the submission cap (never sent)`] : []),
    ...(s.wasted ? [`${s.wasted} wasted (found with no pool to send them to)`] : []),
  ].join('; ');
}

/** "paused (heat)", or nothing while the device runs. */
export function formatPause(pausedFor: readonly string[] | undefined): string {
  return pausedFor && pausedFor.length > 0 ? `paused (${pausedFor.join(', ')})` : '';
}

/** The ledger while its writes fail: how many records wait, and in which file. */
export function formatLedgerFailing(h: JournalHealth): string {
  return `ledger failing: ${h.unsaved} record${h.unsaved === 1 ? '' : 's'} unsaved (${h.file})`;
}

/** A device's readings (none for a device with no sensor read at all) and pause, as the status line and the dashboard show them. */
function deviceNotes(d: DeviceSnapshot): string {
  const read = d.sensors !== undefined && (d.sensors.temperature !== null || d.sensors.fan !== null || d.sensors.power !== null);
  return [read ? formatReading(d.sensors!) : '', formatPause(d.pausedFor)].filter(Boolean).join(' ');
}

/**
 * The status line; given a `width` (a terminal's columns), one that fits it: the short form of
 * each part when the long one does not fit, cut with "…" when even that does not, so it never
 * wraps onto a second row (a wrapped line cannot be redrawn in place).
 */
export function formatStatus(s: StatusSnapshot, width?: number): string {
  const full = statusParts(s, false).join('  ');
  if (width === undefined || [...full].length <= width) return full;
  const short = [...statusParts(s, true).join(' ')];
  return short.length <= width ? short.join('') : `${short.slice(0, Math.max(0, width - 1)).join('')}…`;
}

function statusParts(s: StatusSnapshot, short: boolean): string[] {
  const b = s.blocks;
  const devices = s.devices ?? [];
  const perDevice = devices.length > 1
    ? devices.map((d, i) => [`d${i}`, formatHashrate(d.hashrate), formatShares(d.shares), deviceNotes(d)].filter(Boolean).join(' '))
    : devices.map(deviceNotes).filter(Boolean);
  const found = b.pending + b.confirmed + b.orphaned;
  return [
    formatUptime(s.uptimeSeconds),
    formatHashrate(s.hashrate),
    formatShares(s.shares),
    ...perDevice,
    short
      ? `blk ${b.pending}p/${b.confirmed}c/${b.orphaned}o`
      : `blocks ${found} found: ${b.pending} pending / ${b.confirmed} confirmed / ${b.orphaned} orphaned`,
    short ? `${formatSero(b.credit)} SERO` : `credited ${formatSero(b.credit)} SERO`,
    ...(s.ledger && !s.ledger.ok ? [short ? `ledger failing (${s.ledger.unsaved} unsaved)` : formatLedgerFailing(s.ledger)] : []),
    s.height !== undefined ? `${short ? 'h' : 'height'} ${s.height}` : 'waiting for work',
  ];
}
