import { Type } from 'typebox';
import { StationError } from '../errors';
import { errorResponses } from '../http/schemas';
import { type App, principalOf } from '../http/types';
import type { OutboxRelay } from './outbox-relay';

const OutboxStatusSchema = Type.Object({
  backlog: Type.Integer(),
  oldestCreatedAt: Type.Union([Type.String(), Type.Null()]),
  oldestAgeSeconds: Type.Number(),
  running: Type.Boolean(),
  lastAckAt: Type.Union([Type.String(), Type.Null()]),
  lastError: Type.Union([
    Type.Object({ at: Type.String(), tradeId: Type.String(), reason: Type.String() }),
    Type.Null(),
  ]),
  rejected: Type.Array(
    Type.Object({
      tradeId: Type.String(),
      code: Type.String(),
      detail: Type.Union([Type.String(), Type.Null()]),
      rejectedAt: Type.String(),
      attempts: Type.Integer(),
    }),
  ),
});

/** The monitor's view of the upload to the centre, and the operator's "send again" for a refused record. */
export function registerOutboxRoutes(
  app: App,
  relay: OutboxRelay,
  now: () => Date,
  audit: {
    record(e: {
      actor: string;
      action: 'outbox.requeue';
      target: string;
      detail?: Record<string, unknown>;
    }): Promise<unknown>;
  },
): void {
  app.get(
    '/outbox',
    {
      config: { stationAccess: ['monitor', 'admin'] },
      schema: {
        tags: ['outbox'],
        summary: 'Upload backlog to the centre and records the centre refused',
        response: { 200: OutboxStatusSchema, ...errorResponses },
      },
    },
    async () => {
      const b = await relay.store.backlog();
      return {
        backlog: b.count,
        oldestCreatedAt: b.oldestCreatedAt,
        oldestAgeSeconds: b.oldestCreatedAt
          ? Math.max(0, (now().getTime() - Date.parse(b.oldestCreatedAt)) / 1000)
          : 0,
        running: relay.status.running,
        lastAckAt: relay.status.lastAckAt,
        lastError: relay.status.lastError,
        rejected: await relay.store.rejected(100),
      };
    },
  );

  app.post(
    '/outbox/:tradeId/retry',
    {
      config: { stationAccess: ['admin'] },
      schema: {
        tags: ['outbox'],
        summary: 'Send a refused record again (after the cause was fixed at the centre)',
        params: Type.Object({ tradeId: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: Type.Object({ ok: Type.Literal(true) }), ...errorResponses },
      },
    },
    async (req) => {
      const ok = await relay.store.requeue(req.params.tradeId, now().toISOString());
      if (!ok) throw new StationError('STN_ERR_RECORD_NOT_FOUND', `no refused upload ${req.params.tradeId}`);
      await audit.record({
        actor: principalOf(req).accountId,
        action: 'outbox.requeue',
        target: req.params.tradeId,
      });
      relay.wake();
      return { ok: true as const };
    },
  );
}
