// The dashboard in the browser: draws the rig from the snapshot the page came with, then follows
// /api/events (server-sent events): summary cards (the chain being mined), a hashrate chart in
// SVG, one row per device, the pool, each chain of the ledger apart, and the found blocks with
// their votes arriving. Every value goes into the page as text, never as markup.
import type { BlockStatus, ChainStatus, DeviceStatus, HashrateSample, RigStatus } from '../rig-status.js';
import type { DashboardSnapshot } from './page.js';
import { formatHashrate, formatPause, formatShares } from '../../miner/status-line.js';
import { formatReading } from '../../sensors/reading.js';

const MAX_SAMPLES = 450;
/** Found blocks listed, newest first. */
const BLOCKS_SHOWN = 10;
const COLORS = ['#60a5fa', '#f472b6', '#facc15', '#a78bfa', '#fb923c', '#2dd4bf'];
const TOTAL_COLOR = '#34d399';
const SVG = 'http://www.w3.org/2000/svg';

const byId = (id: string): HTMLElement => document.getElementById(id)!;

function el(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  return node;
}


function duration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor(seconds / 3600) % 24;
  const m = Math.floor(seconds / 60) % 60;
  const s = seconds % 60;
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return s ? `${m}m ${s}s` : `${m}m`;
  return `${s}s`;
}

let history: HashrateSample[] = [];
let last: RigStatus | undefined;

function renderCards(s: RigStatus): void {
  byId('host').textContent = s.host;
  byId('version').textContent = s.version;
  byId('uptime').textContent = `up ${duration(s.uptime)}`;
  byId('work').textContent = s.work.height === null ? 'waiting for work' : `height ${s.work.height} · epoch ${s.work.epoch}`;
  byId('hashrate').textContent = formatHashrate(s.hashrate);
  byId('devcount').textContent = `${s.devices.length} device${s.devices.length === 1 ? '' : 's'}`;
  byId('shares').textContent = formatShares(s.shares);
  byId('lastshare').textContent = s.lastShareAgo === null ? 'no share yet' : `last ${duration(s.lastShareAgo)} ago`;
  byId('blocks').textContent = String(s.blocks.confirmed);
  byId('blocksub').textContent = `confirmed · ${s.blocks.pending} pending · ${s.blocks.orphaned} orphaned`;
  byId('credit').textContent = s.blocks.credit;
  const ledger = byId('ledger');
  ledger.hidden = s.ledger.ok;
  ledger.textContent = s.ledger.ok ? '' : `ledger failing: ${s.ledger.unsaved} unsaved (${s.ledger.file})`;
  ledger.title = s.ledger.error ?? '';
}

function dagCell(d: DeviceStatus): HTMLElement {
  const cell = (...content: (Node | string)[]) => el('td', { 'data-label': 'DAG' }, ...content);
  if (!d.dag) return cell('–');
  if (d.dag.ready) return cell(`epoch ${d.dag.epoch} ✓`);
  const pct = Math.floor(d.dag.progress * 100);
  return cell(el('span', { class: 'bar' }, el('b', { style: `width:${pct}%` })), `${pct}%`);
}

function renderDevices(s: RigStatus): void {
  const rows = s.devices.map((d) => el('tr', { 'data-device': String(d.index) },
    el('td', {}, el('i', { style: `display:inline-block;width:.6rem;height:.6rem;border-radius:50%;margin-right:.35rem;background:${COLORS[d.index % COLORS.length]}` }), String(d.index)),
    el('td', { class: 'name' }, d.name, el('span', { class: 'tag' }, d.backend)),
    el('td', { 'data-label': 'Hashrate' }, formatHashrate(d.hashrate)),
    el('td', { 'data-label': 'A:R:F' }, formatShares(d.shares)),
    el('td', { class: 'sensors', 'data-label': 'Temp · Fan · Power' }, formatReading(d.sensors, ' · ')),
    dagCell(d),
    el('td', { class: `state-${d.paused ? 'paused' : d.state}`, 'data-label': 'State' }, d.paused ? formatPause(d.pausedFor) : d.state === 'dag' ? 'building DAG' : d.state, d.restarts ? ` (${d.restarts} restart${d.restarts === 1 ? '' : 's'})` : ''),
  ));
  byId('devices').replaceChildren(...rows);
}

function renderPool(s: RigStatus): void {
  const p = s.pool;
  const kv = el('div', { class: 'kv' },
    el('span', {}, 'status'), el('span', { class: p.connected ? 'state-mining' : 'state-paused' }, p.connected ? 'connected' : 'not connected'),
    el('span', {}, 'latency'), el('span', {}, p.latencyMs === null ? '–' : `${p.latencyMs} ms`),
    el('span', {}, 'failovers'), el('span', {}, String(p.failovers)),
    el('span', {}, 'jobs'), el('span', {}, String(s.work.jobs)),
  );
  const list = el('ol', { class: 'pools', start: '0' }, ...p.pools.map((pool) => el('li', pool.active ? { class: 'active' } : {}, pool.uri)));
  byId('pool').replaceChildren(el('div', { class: 'pool-uri' }, p.uri ?? 'no active pool'), kv, list);
}

function chainItem(c: ChainStatus, current: string | null): HTMLElement {
  const counts = `${c.confirmed} confirmed · ${c.pending} pending · ${c.orphaned} orphaned · ${c.credit} SERO`;
  return el('li', { 'data-chain': c.id, 'data-credit': c.credit, ...(c.id === current ? { class: 'current' } : {}) },
    el('span', { class: 'label', title: c.label }, c.label), el('span', {}, counts));
}

function blockItem(b: BlockStatus): HTMLElement {
  const pips = Array.from({ length: Math.max(b.votesNeeded, b.votes) }, (_, i) => el('span', { class: i < b.votes ? 'pip on' : 'pip' }));
  const outcome = b.status === 'confirmed' ? el('span', { class: 'credit' }, `+${b.credit} SERO`)
    : b.status === 'orphaned' ? el('span', { class: 'orphan' }, `no credit${b.reason ? `: ${b.reason}` : ''}`)
      : el('span', { class: 'waiting' }, `waiting for votes (+${b.expectedCredit} SERO once confirmed)`);
  return el('li', { 'data-height': String(b.height), 'data-status': b.status, 'data-chain': b.chain },
    el('div', {}, el('span', { class: 'h' }, `#${b.height}`), el('span', { class: `badge ${b.status}` }, b.status)),
    el('div', { class: 'votes' }, ...pips, el('span', { class: 'count' }, `${b.votes}/${b.votesNeeded}`)),
    el('div', { class: 'small' }, outcome, el('span', { class: 'nonce' }, ` · nonce ${b.nonce}`)),
  );
}

function renderBlocks(s: RigStatus): void {
  // a chain per line, only where the ledger holds more than the one being mined
  const others = s.blocks.chains.some((c) => c.id !== s.blocks.chain);
  byId('chains').replaceChildren(...(others ? s.blocks.chains.map((c) => chainItem(c, s.blocks.chain)) : []));
  const list = byId('blocklist');
  const shown = s.blocks.recent.slice(0, BLOCKS_SHOWN);
  const items = shown.map(blockItem);
  const found = s.blocks.chains.reduce((n, c) => n + c.pending + c.confirmed + c.orphaned, 0);
  if (found > shown.length) items.push(el('li', { class: 'empty' }, `${found - shown.length} earlier block${found - shown.length === 1 ? '' : 's'} not shown (miner_getblocks lists ${s.blocks.recent.length})`));
  if (items.length === 0) items.push(el('li', { class: 'empty' }, 'no block found yet'));
  list.replaceChildren(...items);
}

function drawChart(): void {
  const chart = byId('chart') as unknown as SVGSVGElement;
  const width = Math.max(200, chart.clientWidth);
  const height = Math.max(120, chart.clientHeight);
  const pad = { left: 64, right: 8, top: 10, bottom: 22 };
  chart.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const nodes: SVGElement[] = [];
  const devices = last?.devices.length ?? 0;
  const top = Math.max(1, ...history.map((p) => p.total)) * 1.15;
  const t1 = history.at(-1)?.t ?? Date.now();
  const t0 = Math.min(history[0]?.t ?? t1, t1 - 60_000);
  const x = (t: number) => pad.left + ((t - t0) / Math.max(1, t1 - t0)) * (width - pad.left - pad.right);
  const y = (v: number) => height - pad.bottom - (v / top) * (height - pad.top - pad.bottom);
  for (let i = 0; i <= 4; i++) {
    const v = (top / 4) * i;
    nodes.push(svg('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), stroke: '#1f2a3c' }));
    const label = svg('text', { x: pad.left - 6, y: y(v) + 4, 'text-anchor': 'end' });
    label.textContent = formatHashrate(v);
    nodes.push(label);
  }
  for (const [frac, anchor] of [[0, 'start'], [0.5, 'middle'], [1, 'end']] as const) {
    const t = t0 + (t1 - t0) * frac;
    const label = svg('text', { x: x(t), y: height - 5, 'text-anchor': anchor });
    label.textContent = frac === 1 ? 'now' : `-${duration(Math.round((t1 - t) / 1000))}`;
    nodes.push(label);
  }
  if (history.length > 1) {
    const line = (pick: (p: HashrateSample) => number) => history.map((p) => `${x(p.t).toFixed(1)},${y(pick(p)).toFixed(1)}`).join(' ');
    const gradient = svg('linearGradient', { id: 'fill', x1: 0, x2: 0, y1: 0, y2: 1 });
    gradient.append(svg('stop', { offset: '0', 'stop-color': TOTAL_COLOR, 'stop-opacity': 0.35 }), svg('stop', { offset: '1', 'stop-color': TOTAL_COLOR, 'stop-opacity': 0 }));
    const defs = svg('defs', {});
    defs.append(gradient);
    nodes.push(defs);
    const first = history[0]!;
    const lastPoint = history.at(-1)!;
    nodes.push(svg('polygon', { points: `${x(first.t)},${y(0)} ${line((p) => p.total)} ${x(lastPoint.t)},${y(0)}`, fill: 'url(#fill)' }));
    if (devices > 1) {
      for (let d = 0; d < devices; d++) {
        nodes.push(svg('polyline', { points: line((p) => p.devices[d] ?? 0), fill: 'none', stroke: COLORS[d % COLORS.length]!, 'stroke-width': 1.5, 'stroke-dasharray': '4 3' }));
      }
    }
    nodes.push(svg('polyline', { points: line((p) => p.total), fill: 'none', stroke: TOTAL_COLOR, 'stroke-width': 2, 'stroke-linejoin': 'round' }));
  }
  chart.replaceChildren(...nodes);
  const legend = [el('span', {}, el('i', { style: `background:${TOTAL_COLOR}` }), 'total')];
  if (devices > 1) for (const d of last!.devices) legend.push(el('span', {}, el('i', { style: `background:${COLORS[d.index % COLORS.length]}` }), `device ${d.index}`));
  byId('legend').replaceChildren(...legend);
}

function render(s: RigStatus): void {
  last = s;
  renderCards(s);
  renderDevices(s);
  renderPool(s);
  renderBlocks(s);
  document.title = `${formatHashrate(s.hashrate)} · ${s.host} · sero-miner`;
}

function connect(): void {
  const live = byId('live');
  const events = new EventSource('/api/events');
  events.addEventListener('open', () => { live.textContent = 'live'; live.className = 'on'; });
  events.addEventListener('error', () => { live.textContent = 'reconnecting'; live.className = ''; });
  events.addEventListener('history', (e) => { history = JSON.parse((e as MessageEvent<string>).data) as HashrateSample[]; drawChart(); });
  events.addEventListener('sample', (e) => {
    history.push(JSON.parse((e as MessageEvent<string>).data) as HashrateSample);
    if (history.length > MAX_SAMPLES) history.shift();
    drawChart();
  });
  events.addEventListener('status', (e) => {
    const first = last === undefined;
    render(JSON.parse((e as MessageEvent<string>).data) as RigStatus);
    if (first) drawChart();
  });
}

/** The snapshot the page was served with: drawn at once. */
function drawSnapshot(): void {
  const element = document.getElementById('snapshot');
  if (!element?.textContent) return;
  const snapshot = JSON.parse(element.textContent) as DashboardSnapshot;
  history = snapshot.history;
  render(snapshot.status);
  drawChart();
}

window.addEventListener('resize', drawChart);
drawSnapshot();
connect();
