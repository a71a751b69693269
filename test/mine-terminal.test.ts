// `mine` on an 80-column terminal (a pseudo-terminal from util-linux's `script`), read back
// through a small terminal model: the status line fits the width and is redrawn in place, so no
// stale copy of it is left under the log lines; what Dawn prints natively (its "Warning: …
// artificially reduced" lines on lavapipe) never reaches the terminal, and is logged once at
// debug level (-v).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bin } from './support/cli-process.js';
import { isNativeLine } from '../src/cli/native-output-relay.js';
import { formatStatus, type StatusSnapshot } from '../src/miner/status-line.js';
import { noShares } from '../src/miner/share-counts.js';

const COLUMNS = 80;
const STATUS = /^\d\d:\d\d:\d\d +[\d.]+ [kMGT]?H\/s /;

/** Runs `sero-miner <args>` on a pseudo-terminal of COLUMNS columns; resolves with every byte the terminal got. */
function onTerminal(args: string[]): Promise<{ code: number | null; output: string }> {
  const quoted = [process.execPath, bin, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const child = spawn('script', ['-q', '-e', '-c', `stty cols ${COLUMNS} rows 24 && exec ${quoted}`, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => (output += String(c)));
  child.stderr.on('data', (c) => (output += String(c)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) => child.once('close', (code) => {
    clearTimeout(timer);
    resolve({ code, output });
  }));
}

/** The rows a terminal of `columns` shows after `output` (carriage return, line feed, erase line, auto-wrap). */
function screen(output: string, columns: number): string[] {
  const rows: string[][] = [[]];
  let row = 0;
  let col = 0;
  let wrapPending = false;
  for (let i = 0; i < output.length; i++) {
    const c = output[i]!;
    if (c === '\x1b') {
      const csi = /^\x1b\[([0-9;]*)([A-Za-z])/.exec(output.slice(i, i + 16));
      if (csi) {
        if (csi[2] === 'K' && csi[1] === '2') rows[row] = [];
        i += csi[0].length - 1;
      }
    } else if (c === '\r') {
      col = 0;
      wrapPending = false;
    } else if (c === '\n') {
      row += 1;
      rows[row] ??= [];
      wrapPending = false;
    } else if (c >= ' ') {
      if (wrapPending) {
        row += 1;
        rows[row] ??= [];
        col = 0;
        wrapPending = false;
      }
      rows[row]![col] = c;
      if (col === columns - 1) wrapPending = true;
      else col += 1;
    }
  }
  return rows.map((r) => Array.from(r, (ch) => ch ?? ' ').join('').trimEnd());
}

/** The lines Dawn prints natively in `devices` here, stderr being a pipe (no relay): none without a WebGPU adapter. */
function nativeLinesHere(): string[] {
  const direct = spawnSync(process.execPath, [bin, 'devices'], { encoding: 'utf8' });
  return [...new Set(direct.stderr.split('\n').filter(isNativeLine))];
}

test('the status line for a width: whole when it fits, the short form, then cut with an ellipsis', () => {
  const snapshot: StatusSnapshot = {
    hashrate: 23_456, shares: { ...noShares(), accepted: 12, held: 3 }, height: 940_412, uptimeSeconds: 75,
    blocks: { pending: 1, confirmed: 2, orphaned: 0, credit: 90_000_000_000_000_000_000n },
    devices: [{ hashrate: 23_456, shares: noShares(), sensors: { temperature: 61, fan: 40, power: 120 } }],
  };
  const whole = formatStatus(snapshot);
  assert.ok(whole.length > COLUMNS, whole);
  assert.equal(formatStatus(snapshot, 200), whole);
  const short = formatStatus(snapshot, COLUMNS - 1);
  assert.ok([...short].length < COLUMNS, short);
  assert.match(short, /^00:01:15 23\.5 kH\/s A12:R0:F0 held 3 61°C 40% 120W blk 1p\/2c\/0o 90 SERO h 940412$/);
  const cut = formatStatus(snapshot, 40);
  assert.equal([...cut].length, 40);
  assert.ok(cut.endsWith('…') && short.startsWith(cut.slice(0, -1)), cut);
  const unread = { ...snapshot, devices: [{ ...snapshot.devices![0]!, sensors: { temperature: null, fan: null, power: null } }] };
  assert.match(formatStatus(unread, COLUMNS - 1), /^00:01:15 23\.5 kH\/s A12:R0:F0 held 3 blk 1p\/2c\/0o 90 SERO h 940412$/, 'a device with no sensor read shows no readings');
});

test('the screen model wraps a line longer than the terminal and erases a row on ESC [2K', () => {
  assert.deepEqual(screen(`${'x'.repeat(85)}\r\n`, COLUMNS), ['x'.repeat(80), 'x'.repeat(5), '']);
  assert.deepEqual(screen(`\r\x1b[2K${'s'.repeat(85)}\r\x1b[2Klog\r\n`, COLUMNS), ['s'.repeat(80), 'log', ''], 'a wrapped status line leaves its first row behind');
  assert.deepEqual(screen(`\r\x1b[2K${'s'.repeat(79)}\r\x1b[2Klog\r\n`, COLUMNS), ['log', '']);
});

test('mine on an 80-column terminal: the status line fits, leaves no stale copy, and native warnings stay off it', { timeout: 180_000 }, async () => {
  const native = nativeLinesHere();
  const datadir = mkdtempSync(path.join(tmpdir(), 'sero-terminal-'));
  // the default backend: on a machine with only a software adapter (lavapipe) WASM mines, yet Dawn lists the adapters
  const { code, output } = await onTerminal(['mine', '--threads', '1', '--dag', 'small', '--duration', '20', '--datadir', datadir, '-v', '1']);
  assert.equal(code, 0, output);

  const rows = screen(output, COLUMNS);
  // the summary, the run's last line (wrapped where it is longer than the terminal)
  const last = rows.findIndex((r) => /^mined .* average; shares \d+ accepted/.test(r));
  assert.ok(last > 0, rows.join('\n'));
  assert.ok(rows.slice(last + 1).every((r) => !STATUS.test(r)), rows.slice(last).join('\n'));
  const stale = rows.slice(0, last).filter((r) => STATUS.test(r));
  assert.deepEqual(stale, [], 'no copy of the status line is left under the log lines');
  const logRows = rows.slice(0, last).filter((r) => r !== '');
  assert.ok(logRows.some((r) => / info +devnet ready: /.test(r)) && logRows.some((r) => / info +share 0x[0-9a-f]{16} accepted/.test(r)), rows.join('\n'));

  const draws = output.split('\x1b[2K').map((s) => s.split(/[\r\n]/)[0]!).filter((s) => STATUS.test(s));
  assert.ok(draws.length > 10, `the status line was drawn (${draws.length} times)`);
  for (const draw of draws) assert.ok([...draw].length < COLUMNS, `a status line of ${[...draw].length} columns: ${draw}`);
  assert.ok(draws.some((d) => / blk \d+p\/\d+c\/\d+o /.test(d)), 'the status line is the short form that fits');

  for (const line of output.split(/\r?\n|\r|\x1b\[2K/)) assert.ok(!isNativeLine(line), `a native line reached the terminal: ${line}`);
  for (const line of native) {
    const logged = output.split(`debug native: ${line}`).length - 1;
    assert.equal(logged, 1, `"${line}" is logged once at debug level, not ${logged} times`);
  }
});

test('on a terminal the exit code and the error are the command\'s own', { timeout: 60_000 }, async () => {
  const { code, output } = await onTerminal(['mine', '-P', 'stratum1+tcp://not-an-address@127.0.0.1:1', '--backend', 'wasm', '--datadir', mkdtempSync(path.join(tmpdir(), 'sero-terminal-'))]);
  assert.equal(code, 1, output);
  assert.match(output, /^error: the login of stratum1\+tcp:\/\/not-an-address@127\.0\.0\.1:1 is not a SERO address: /m);
});
