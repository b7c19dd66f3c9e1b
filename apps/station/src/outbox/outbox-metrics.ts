import { Counter, Gauge, type Registry } from 'prom-client';
import type { UploadOutcome } from './centre-uploader';
import type { OutboxRelay } from './outbox-relay';

/**
 * Outbox gauges read from the database at scrape time (so they are right across restarts and for rows
 * written by other processes), plus an upload counter by outcome.
 */
export function registerOutboxMetrics(registry: Registry, relay: () => OutboxRelay | undefined) {
  new Gauge({
    name: 'tollpad_station_outbox_backlog',
    help: 'Exit records not yet acknowledged by the centre',
    registers: [registry],
    async collect() {
      const r = relay();
      if (r) this.set((await r.store.backlog()).count);
    },
  });
  new Gauge({
    name: 'tollpad_station_outbox_oldest_age_seconds',
    help: 'Age of the oldest exit record not yet acknowledged (0 when the backlog is empty)',
    registers: [registry],
    async collect() {
      const r = relay();
      if (!r) return;
      const b = await r.store.backlog();
      this.set(b.oldestCreatedAt ? Math.max(0, (Date.now() - Date.parse(b.oldestCreatedAt)) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'tollpad_station_outbox_rejected',
    help: 'Exit records the centre refused (need an operator), by refusal code',
    labelNames: ['code'] as const,
    registers: [registry],
    async collect() {
      const r = relay();
      if (!r) return;
      this.reset();
      for (const row of await r.store.rejectedByCode()) this.set({ code: row.code }, row.count);
    },
  });
  const uploads = new Counter({
    name: 'tollpad_station_outbox_uploads_total',
    help: 'Upload attempts to the centre by outcome (acked, replayed, retry, rejected)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  return {
    count(o: UploadOutcome): void {
      uploads.inc({ outcome: o.kind === 'acked' ? (o.replayed ? 'replayed' : 'acked') : o.kind });
    },
  };
}
