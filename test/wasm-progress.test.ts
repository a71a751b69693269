// The DAG build progress bar: ETA arithmetic and what it writes to a log and a terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createProgressBar, estimateRemaining, formatDuration } from '../src/util/progress.js';

function sink(tty: boolean): { stream: Writable & { isTTY: boolean }; text: () => string } {
  let out = '';
  const stream = Object.assign(new Writable({ write(chunk, _enc, done) { out += String(chunk); done(); } }), { isTTY: tty });
  return { stream, text: () => out };
}

test('ETA extrapolates the rate so far', () => {
  assert.equal(estimateRemaining(25, 100, 10), 30);
  assert.equal(estimateRemaining(0, 100, 10), undefined);
  assert.equal(formatDuration(42), '42s');
  assert.equal(formatDuration(125), '2m05s');
  assert.equal(formatDuration(7260), '2h01m');
});

test('in a log it prints one line per 10% with an ETA', () => {
  let t = 0;
  const { stream, text } = sink(false);
  const bar = createProgressBar('DAG', { stream, now: () => t });
  for (let done = 0; done <= 1000; done += 50) {
    t = done * 10; // 10 ms per item
    bar.update(done, 1000);
  }
  bar.finish();
  const lines = text().trim().split('\n');
  assert.equal(lines.length, 11);
  assert.match(lines[2]!, /20\.0% ETA 8s$/);
  assert.match(lines[10]!, /100\.0% done in 10s$/);
});

test('on a terminal it redraws in place, throttled', () => {
  let t = 0;
  const { stream, text } = sink(true);
  const bar = createProgressBar('DAG', { stream, now: () => t, intervalMs: 100 });
  bar.update(1, 10);
  t = 50;
  bar.update(2, 10); // within the interval: skipped
  t = 200;
  bar.update(10, 10);
  bar.finish();
  assert.equal(text().split('\r').length - 1, 2);
  assert.ok(text().endsWith('\n'));
});

test('a job shorter than quietMs prints nothing', () => {
  let t = 0;
  const { stream, text } = sink(false);
  const bar = createProgressBar('DAG', { stream, now: () => t, quietMs: 1000 });
  for (let done = 0; done <= 10; done++) {
    t = done * 50;
    bar.update(done, 10);
  }
  bar.finish();
  assert.equal(text(), '');
});
