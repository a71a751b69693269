// GET /getstat1: serominer's plain stats table (one row per device, totals, refresh every 30 s),
// for the farm tools and people who read that page.
import { formatHashrate } from '../miner/status-line.js';
import { pauseReasonText, type RigStatus } from './rig-status.js';
import { shortPciAddress } from '../sensors/pci.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function getstat1Html(s: RigStatus): string {
  const hours = Math.floor(s.uptime / 3600);
  const minutes = String(Math.floor(s.uptime / 60) % 60).padStart(2, '0');
  const reading = (value: number | null) => (value === null ? 'n/a' : String(Math.round(value)));
  const rows = s.devices.map((d) => `<tr${d.paused ? ' class=paused' : ''}><td>${escapeHtml(d.pci === null ? `${d.backend}:${d.index}` : shortPciAddress(d.pci))}</td><td>${escapeHtml(d.name)}</td><td>${d.backend === 'webgpu' ? 'WebGPU' : 'WASM'}</td>`
    + `<td>${pauseReasonText(d.pausedFor) ?? 'No'}</td><td>${formatHashrate(d.hashrate)}</td><td>${d.shares.accepted}</td>`
    + `<td>${reading(d.sensors.temperature)}</td><td>${reading(d.sensors.fan)}</td><td>${reading(d.sensors.power)}</td></tr>`).join('');
  const solutions = s.devices.reduce((n, d) => n + d.shares.accepted, 0);
  return '<!doctype html><html lang=en><head><meta charset=utf-8><meta http-equiv=refresh content=30>'
    + `<meta name=viewport content="width=device-width,initial-scale=1"><title>${escapeHtml(s.host)}</title>`
    + '<style>body{font-family:system-ui,sans-serif;font-size:16px;line-height:1.5;text-align:center}table{border-spacing:0;margin:auto}'
    + 'td,th{border:1px inset #000;padding:3px}tbody tr:nth-child(even){background:#f8f8f8}thead tr{background:#e8e8e8}.paused{color:#f46542}</style></head><body>'
    + `<table><thead><tr><th colspan=9>${escapeHtml(s.version)} - ${hours}:${minutes}<br>Pool: ${escapeHtml(s.pool.uri ?? 'not connected')}</th></tr>`
    + '<tr><th>PCI</th><th>Device</th><th>Mode</th><th>Paused</th><th>Hash Rate</th><th>Solutions</th><th>Temp.</th><th>Fan %</th><th>Power W</th></tr></thead>'
    + `<tbody>${rows}</tbody><tfoot><tr><td colspan=4>Totals</td><td>${formatHashrate(s.hashrate)}</td><td>${solutions}</td><td colspan=3></td></tr></tfoot></table></body></html>`;
}
