// Nothing found is dropped when the ledger's file cannot be written: a mining session whose
// journal store fails (as a full disk or an I/O error would) keeps every record in memory,
// says once which file failed, shows the ledger failing in the status line, /api/status and
// /metrics, and writes the records in order once the store takes them again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createWasmBackend } from '../src/backends/wasm/index.js';
import { Journal, type JournalStore } from '../src/miner/journal.js';
import { Ledger, type LedgerRecord } from '../src/miner/reward-ledger.js';
import { startMiningSession } from '../src/miner/session.js';
import { formatStatus } from '../src/miner/status-line.js';
import { noShares } from '../src/miner/share-counts.js';
import { parsePoolUri } from '../src/net/wire/uri.js';
import { silentLogger } from '../src/util/log.js';
import { startApiServer } from '../src/api/api-server.js';
import { sessionControl } from '../src/api/rig-control.js';
import { RigStatusSource } from '../src/api/rig-status.js';
import { freePort, httpRequest } from './support/api-client.js';
import { captureLog, waitUntil } from './fixtures/net-helpers.js';
import { startTestDevnet } from './support/devnet.js';

/** The file journal, behind a switch that makes every write fail as a full disk does. */
class FailingStore implements JournalStore<LedgerRecord> {
  failing = false;
  writes = 0;
  private readonly journal: Journal<LedgerRecord>;

  constructor(readonly location: string) {
    this.journal = new Journal(location);
  }

  get torn() {
    return this.journal.torn;
  }

  open(): void {
    this.journal.open();
  }

  replay(): LedgerRecord[] {
    return this.journal.replay();
  }

  append(record: LedgerRecord): void {
    if (this.failing) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${this.location}'`), { code: 'ENOSPC' });
    this.journal.append(record);
    this.writes++;
  }

  close(): void {
    this.journal.close();
  }
}

test('a journal that cannot be written: records kept and retried in order; the status line, /api/status and /metrics name the failing file', { timeout: 180_000 }, async () => {
  const devnet = await startTestDevnet({ initialDifficulty: 4000n, minimumDifficulty: 2000n, voterOnlineProbability: 1, voteLatencyMs: [20, 100] });
  const backend = createWasmBackend({ threads: 1 });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'sero-ledger-health-')), 'ledger.jsonl');
  const store = new FailingStore(file);
  const log = captureLog();
  const session = startMiningSession({
    pools: [parsePoolUri(devnet.endpoints.stratum.replace('://', '://devnet-miner.health@'))], backends: [backend], dagMode: 'small',
    ledger: new Ledger(store, { retryMs: 300 }), profile: 'seed', logger: log.logger, batchMs: 200,
  });
  const source = new RigStatusSource({ session });
  const api = await startApiServer({ port: await freePort(), source, control: sessionControl(session, { log: silentLogger, setVerbosity: () => {} }), log: silentLogger });
  try {
    await waitUntil(() => session.ledger.totals().confirmed >= 1, 90_000, 'a confirmed block');
    store.failing = true;
    const before = session.ledger.list().length;
    await waitUntil(() => session.ledger.list().slice(before).some((b) => b.status === 'confirmed'), 90_000, 'a block found and confirmed while the file cannot be written');

    const health = session.ledger.health;
    assert.equal(health.ok, false);
    assert.equal(health.file, file);
    assert.ok(health.unsaved >= 2, `records held: ${health.unsaved}`);
    assert.match(health.error!, /ENOSPC/);
    const line = formatStatus({ hashrate: 0, shares: noShares(), blocks: session.ledger.totals(), uptimeSeconds: 1, ledger: health });
    assert.ok(line.includes(`ledger failing: ${health.unsaved} records unsaved (${file})`), line);

    const status = JSON.parse((await httpRequest(api.port, '/api/status')).body);
    assert.equal(status.ledger.ok, false);
    assert.equal(status.ledger.file, file);
    assert.ok(status.ledger.unsaved >= 2);
    assert.match(status.ledger.error, /ENOSPC/);
    const metrics = (await httpRequest(api.port, '/metrics')).body;
    const escaped = file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    assert.match(metrics, new RegExp(`^sero_miner_ledger_ok\\{file="${escaped}"\\} 0$`, 'm'));
    assert.match(metrics, new RegExp(`^sero_miner_ledger_unsaved_records\\{file="${escaped}"\\} [1-9]\\d*$`, 'm'));
    const said = log.lines.filter((l) => l.includes(file));
    assert.equal(said.length, 1, `one line when the writes began to fail:\n${log.lines.join('\n')}`);
    assert.match(said[0]!, /^error ledger: cannot write .*ENOSPC.*: \d+ records? kept in memory and retried/);

    // the disk has room again: every held record is written, in order, and the ledger is healthy
    store.failing = false;
    await waitUntil(() => session.ledger.health.ok, 10_000, 'the held records written');
    assert.equal(session.ledger.health.unsaved, 0);
    assert.match((await httpRequest(api.port, '/metrics')).body, new RegExp(`^sero_miner_ledger_ok\\{file="${escaped}"\\} 1$`, 'm'));
    assert.equal(JSON.parse((await httpRequest(api.port, '/api/status')).body).ledger.ok, true);
    assert.ok(log.lines.some((l) => /^info ledger: .* written again/.test(l) && l.includes(file)), log.lines.join('\n'));
  } finally {
    await api.close();
    source.stop();
    await session.stop();
    await backend.close();
    await devnet.close();
  }
  const replayed = new Ledger(path.dirname(file));
  assert.deepEqual(replayed.list(), session.ledger.list(), 'the file holds what the miner counted');
  replayed.close();
});
