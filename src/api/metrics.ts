// GET /metrics: the rig in Prometheus' text format (prom-client), every value read from the
// status snapshot at scrape time. Names start with sero_miner_; per-device series carry
// device (its index), backend and name labels; block and credit series a chain label (each
// chain of the ledger apart: its genesis hash, pool:<address>, or unknown).
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { RigStatus } from './rig-status.js';

export interface RigMetrics {
  readonly contentType: string;
  render(): Promise<string>;
}

const SHARE_KINDS = ['accepted', 'stale', 'rejected', 'failed', 'held', 'wasted'] as const;
const BLOCK_KINDS = ['pending', 'confirmed', 'orphaned'] as const;

export function createRigMetrics(status: () => RigStatus): RigMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sero_miner_' });
  let current: RigStatus | undefined;
  const now = () => (current ??= status());
  const deviceLabels = ['device', 'backend', 'name'] as const;
  const labelsOf = (d: RigStatus['devices'][number]) => ({ device: String(d.index), backend: d.backend, name: d.name });

  new Gauge({
    name: 'sero_miner_info', help: 'Always 1; the version and host as labels', labelNames: ['version', 'host'], registers: [registry],
    collect() { this.reset(); this.set({ version: now().version, host: now().host }, 1); },
  });
  new Gauge({
    name: 'sero_miner_uptime_seconds', help: 'Seconds since the miner started', registers: [registry],
    collect() { this.set(now().uptime); },
  });
  new Gauge({
    name: 'sero_miner_hashrate_hashes_per_second', help: 'Hashrate of each device over the last 10 s', labelNames: deviceLabels, registers: [registry],
    collect() { this.reset(); for (const d of now().devices) this.set(labelsOf(d), d.hashrate); },
  });
  new Counter({
    name: 'sero_miner_shares_total', help: 'Shares of each device by outcome: accepted, stale, rejected, failed (sent, never answered); never sent: held (by the submission cap), wasted (no pool to send them to)',
    labelNames: [...deviceLabels, 'status'], registers: [registry],
    collect() {
      this.reset();
      for (const d of now().devices) for (const kind of SHARE_KINDS) this.inc({ ...labelsOf(d), status: kind }, d.shares[kind]);
    },
  });
  new Gauge({
    name: 'sero_miner_device_paused', help: '1 while a device is paused, through the API or for heat', labelNames: deviceLabels, registers: [registry],
    collect() { this.reset(); for (const d of now().devices) this.set(labelsOf(d), d.paused ? 1 : 0); },
  });
  new Gauge({
    name: 'sero_miner_device_heat_paused', help: '1 while --tstop holds a device paused until it cools to --tstart', labelNames: deviceLabels, registers: [registry],
    collect() { this.reset(); for (const d of now().devices) this.set(labelsOf(d), d.pausedFor.includes('heat') ? 1 : 0); },
  });
  // a reading that cannot be taken has no sample rather than a made-up 0
  const reading = (name: string, help: string, pick: (d: RigStatus['devices'][number]) => number | null) => new Gauge({
    name, help, labelNames: deviceLabels, registers: [registry],
    collect() {
      this.reset();
      for (const d of now().devices) {
        const value = pick(d);
        if (value !== null) this.set(labelsOf(d), value);
      }
    },
  });
  reading('sero_miner_device_temperature_celsius', 'Temperature of each device (the GPU\'s die, the CPU\'s package)', (d) => d.sensors.temperature);
  reading('sero_miner_device_fan_ratio', 'Fan speed of each GPU, 0 to 1', (d) => (d.sensors.fan === null ? null : d.sensors.fan / 100));
  reading('sero_miner_device_power_watts', 'Power drawn by each GPU (--HWMON 2)', (d) => d.sensors.power);
  new Counter({
    name: 'sero_miner_device_restarts_total', help: 'Restarts of each device (watchdog or miner_restart)', labelNames: deviceLabels, registers: [registry],
    collect() { this.reset(); for (const d of now().devices) this.inc(labelsOf(d), d.restarts); },
  });
  new Gauge({
    name: 'sero_miner_dag_progress_ratio', help: 'DAG build progress of each device, 0 to 1 (1 once ready)', labelNames: [...deviceLabels, 'epoch'], registers: [registry],
    collect() {
      this.reset();
      for (const d of now().devices) if (d.dag) this.set({ ...labelsOf(d), epoch: String(d.dag.epoch) }, d.dag.ready ? 1 : d.dag.progress);
    },
  });
  new Gauge({
    name: 'sero_miner_blocks', help: 'Blocks found on each chain, by status: pending (waiting for votes), confirmed, orphaned', labelNames: ['chain', 'status'], registers: [registry],
    collect() {
      this.reset();
      for (const c of now().blocks.chains) for (const kind of BLOCK_KINDS) this.set({ chain: c.id, status: kind }, c[kind]);
    },
  });
  new Counter({
    name: 'sero_miner_votes_seen_total', help: 'Share votes seen on the blocks found on the chain being mined', registers: [registry],
    collect() { this.reset(); this.inc(now().blocks.votesSeen); },
  });
  new Gauge({
    name: 'sero_miner_credited_sero', help: 'SERO credited for confirmed blocks on each chain (never add chains up)', labelNames: ['chain'], registers: [registry],
    collect() { this.reset(); for (const c of now().blocks.chains) this.set({ chain: c.id }, Number(c.credit)); },
  });
  new Gauge({
    name: 'sero_miner_ledger_ok', help: '1 while every ledger record is written to its file; 0 while writes fail and records are held in memory', labelNames: ['file'], registers: [registry],
    collect() { this.reset(); this.set({ file: now().ledger.file }, now().ledger.ok ? 1 : 0); },
  });
  new Gauge({
    name: 'sero_miner_ledger_unsaved_records', help: 'Ledger records held in memory because the file could not be written, retried until it can', labelNames: ['file'], registers: [registry],
    collect() { this.reset(); this.set({ file: now().ledger.file }, now().ledger.unsaved); },
  });
  new Gauge({
    name: 'sero_miner_pool_connected', help: '1 while connected to a pool', registers: [registry],
    collect() { this.set(now().pool.connected ? 1 : 0); },
  });
  new Gauge({
    name: 'sero_miner_pool_latency_seconds', help: 'Reply time of the last answered share', registers: [registry],
    collect() { this.reset(); const ms = now().pool.latencyMs; if (ms !== null) this.set(ms / 1000); },
  });
  new Counter({
    name: 'sero_miner_pool_failovers_total', help: 'Times the active pool changed after the first connection', registers: [registry],
    collect() { this.reset(); this.inc(now().pool.failovers); },
  });
  new Counter({
    name: 'sero_miner_jobs_total', help: 'Jobs received', registers: [registry],
    collect() { this.reset(); this.inc(now().work.jobs); },
  });
  new Gauge({
    name: 'sero_miner_block_height', help: 'Height of the current job', registers: [registry],
    collect() { this.reset(); const h = now().work.height; if (h !== null) this.set(h); },
  });

  return {
    contentType: registry.contentType,
    async render() {
      current = undefined;
      try {
        return await registry.metrics();
      } finally {
        current = undefined;
      }
    },
  };
}
