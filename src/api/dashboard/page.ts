// The dashboard page the miner serves at GET /: markup and styles here, behaviour in client.ts,
// which the browser loads as an ES module together with the shared formatting modules it
// imports (served from the compiled tree under /ui/, nothing else is). The page carries the rig's
// snapshot as it is when served, so it is drawn at once, before the live feed says anything.
import { readFileSync } from 'node:fs';
import type { HashrateSample, RigStatus } from '../rig-status.js';

/** Compiled modules the page may load, relative to dist/src (client.ts and its imports). */
const UI_MODULES = new Set(['api/dashboard/client.js', 'miner/status-line.js', 'util/sero-amount.js', 'sensors/reading.js']);
const compiledRoot = new URL('../../', import.meta.url);
const cache = new Map<string, string>();

/** The compiled module at /ui/<path>, or undefined when the page has no such module. */
export function uiModule(path: string): string | undefined {
  if (!UI_MODULES.has(path)) return undefined;
  let text = cache.get(path);
  if (text === undefined) {
    text = readFileSync(new URL(path, compiledRoot), 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '');
    cache.set(path, text);
  }
  return text;
}

const STYLE = `
:root{--bg:#0b0f17;--panel:#131a26;--line:#223047;--text:#e6edf7;--dim:#8a9ab3;--ok:#34d399;--warn:#fbbf24;--bad:#f87171;--accent:#60a5fa;color-scheme:dark}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1rem;padding:.9rem 1.2rem;border-bottom:1px solid var(--line);background:#0e1420}
header h1{font-size:1.15rem;margin:0;letter-spacing:.02em}
header h1 span{color:var(--accent)}
header .meta{color:var(--dim);font-size:.85rem;display:flex;flex-wrap:wrap;gap:.2rem .9rem}
#live{margin-left:auto;font-size:.8rem;padding:.15rem .6rem;border-radius:99px;border:1px solid var(--line);color:var(--dim)}
#live.on{color:var(--ok);border-color:#1f5f47}
#live.on::before{content:"";display:inline-block;width:.5rem;height:.5rem;border-radius:50%;background:var(--ok);margin-right:.4rem;animation:pulse 2s infinite}
@keyframes pulse{50%{opacity:.3}}
main{max-width:1180px;margin:0 auto;padding:1rem;display:grid;gap:1rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:1rem}
.card,.panel{background:var(--panel);border:1px solid var(--line);border-radius:12px}
.card{padding:.8rem 1rem}
.card .label{color:var(--dim);font-size:.78rem;text-transform:uppercase;letter-spacing:.06em}
.card .value{font-size:1.55rem;font-weight:650;margin-top:.15rem;font-variant-numeric:tabular-nums;white-space:nowrap}
.card .sub{color:var(--dim);font-size:.8rem}
.panel{padding:.9rem 1rem;min-width:0}
.panel h2{font-size:.82rem;text-transform:uppercase;letter-spacing:.06em;color:var(--dim);margin:0 0 .6rem;font-weight:600}
.two{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:1rem;align-items:start}
#chart{width:100%;height:210px;display:block}
#chart text{fill:var(--dim);font-size:11px}
#legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.8rem;color:var(--dim);margin-top:.3rem}
#legend i{display:inline-block;width:.8rem;height:.22rem;border-radius:2px;margin-right:.35rem;vertical-align:middle}
.scroll{overflow-x:auto}
table{width:100%;border-collapse:collapse;font-variant-numeric:tabular-nums}
th{color:var(--dim);font-weight:500;font-size:.78rem;text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line);white-space:nowrap}
td{padding:.45rem .5rem;border-bottom:1px solid #1a2436;white-space:nowrap}
tr:last-child td{border-bottom:0}
td.name{white-space:normal;min-width:12rem}
.tag{display:inline-block;font-size:.72rem;padding:.05rem .45rem;border-radius:99px;border:1px solid var(--line);color:var(--dim);margin-left:.35rem}
.bar{display:inline-block;width:5rem;height:.45rem;background:#1e293b;border-radius:99px;overflow:hidden;vertical-align:middle;margin-right:.4rem}
.bar b{display:block;height:100%;background:var(--accent)}
.state-mining{color:var(--ok)}.state-paused,.state-restarting{color:var(--warn)}.state-dag{color:var(--accent)}.state-idle{color:var(--dim)}
.pool-uri{font-family:ui-monospace,monospace;font-size:.85rem;word-break:break-all}
.kv{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem;font-size:.9rem;margin:.6rem 0}
.kv span:nth-child(odd){color:var(--dim)}
ol.pools{margin:.4rem 0 0;padding-left:1.4rem;font-size:.85rem;color:var(--dim)}
ol.pools li.active{color:var(--text)}
ol.pools li.active::after{content:" ← active";color:var(--ok)}
.blocks{list-style:none;margin:0;padding:0}
.blocks li{display:grid;grid-template-columns:1fr auto;gap:.1rem .8rem;padding:.55rem 0;border-bottom:1px solid #1a2436}
.blocks li:last-child{border-bottom:0}
.blocks .h{font-weight:650}
.blocks .small{color:var(--dim);font-size:.8rem;grid-column:1/-1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.blocks .nonce{font-family:ui-monospace,monospace;font-size:.76rem}
.blocks .orphan{color:var(--bad)}.blocks .waiting{color:var(--warn)}
.badge{font-size:.72rem;padding:.08rem .5rem;border-radius:99px;margin-left:.4rem;font-weight:600;text-transform:uppercase;letter-spacing:.04em}
.badge.pending{background:#3a2f0b;color:var(--warn)}.badge.confirmed{background:#0f3b2c;color:var(--ok)}.badge.orphaned{background:#3f1616;color:var(--bad)}
.votes{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.votes .count{margin-left:.45rem;font-weight:600}
.pip{display:inline-block;width:.7rem;height:.7rem;border-radius:50%;border:2px solid #3b4a63;margin-left:.2rem;vertical-align:-1px;transition:background .3s}
.pip.on{background:var(--ok);border-color:var(--ok)}
.credit{color:var(--ok);font-weight:650}
.chains{list-style:none;margin:0 0 .6rem;padding:0;font-size:.85rem}
.chains li{display:flex;justify-content:space-between;gap:.8rem;padding:.3rem 0;border-bottom:1px solid #1a2436;color:var(--dim)}
.chains li.current{color:var(--text)}
.chains .label{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;min-width:0}
#ledger{color:var(--bad);font-weight:600}
.empty{color:var(--dim);font-size:.9rem;padding:.4rem 0}
@media (max-width:560px){
header{padding:.7rem .8rem}main{padding:.6rem;gap:.6rem}.cards{grid-template-columns:1fr 1fr;gap:.6rem}.card .value{font-size:1.25rem}.two{grid-template-columns:1fr}
.dev thead{display:none}.dev tr{display:grid;grid-template-columns:1fr 1fr;padding:.5rem 0;border-bottom:1px solid #1a2436}.dev tr:last-child{border-bottom:0}
.dev td{border:0;padding:.15rem .2rem}.dev td.name{min-width:0}.dev td:nth-child(2){grid-column:2/3}.dev td[data-label]::before{content:attr(data-label);display:block;color:var(--dim);font-size:.72rem}
.blocks .small{white-space:normal}}
`;

const BODY = `
<header>
  <h1><span>◆</span> sero-miner</h1>
  <div class=meta><span id=host>…</span><span id=version></span><span id=uptime></span><span id=work></span></div>
  <span id=ledger hidden></span>
  <span id=live>connecting</span>
</header>
<main>
  <section class=cards>
    <div class=card><div class=label>Hashrate</div><div class=value id=hashrate>–</div><div class=sub id=devcount></div></div>
    <div class=card><div class=label>Shares A:R:F</div><div class=value id=shares>–</div><div class=sub id=lastshare></div></div>
    <div class=card><div class=label>Blocks</div><div class=value id=blocks>–</div><div class=sub id=blocksub></div></div>
    <div class=card><div class=label>Credited</div><div class=value id=credit>–</div><div class=sub>SERO, confirmed blocks only</div></div>
  </section>
  <section class=panel><h2>Hashrate</h2><svg id=chart role=img aria-label="hashrate over time"></svg><div id=legend></div></section>
  <section class=panel><h2>Devices</h2><div class=scroll><table class=dev><thead><tr><th>#</th><th>Device</th><th>Hashrate</th><th>A:R:F</th><th>Temp · Fan · Power</th><th>DAG</th><th>State</th></tr></thead><tbody id=devices></tbody></table></div></section>
  <div class=two>
    <section class=panel><h2>Pool</h2><div id=pool></div></section>
    <section class=panel><h2>Found blocks</h2><ul class=chains id=chains></ul><ul class=blocks id=blocklist></ul></section>
  </div>
</main>
<script type=module src="/ui/api/dashboard/client.js"></script>
`;

/** What the page is drawn from before its live feed says anything. */
export interface DashboardSnapshot {
  readonly status: RigStatus;
  readonly history: HashrateSample[];
}

export function dashboardHtml(snapshot?: DashboardSnapshot): string {
  // a JSON data block (no script runs it; no "<" in it can close it), read by client.ts as #snapshot
  const data = snapshot === undefined ? '' : `<script type=application/json id=snapshot>${JSON.stringify(snapshot).replace(/</g, '\\u003c')}</script>`;
  return `<!doctype html><html lang=en><head><meta charset=utf-8><meta name=viewport content="width=device-width,initial-scale=1">`
    + `<title>sero-miner</title><link rel=icon href="data:,"><style>${STYLE}</style></head><body>${data}${BODY}</body></html>`;
}
