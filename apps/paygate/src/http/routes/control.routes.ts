import { Type } from 'typebox';
import { PaygateError } from '../../errors';
import { FaultInputSchema, FaultSchema } from '../../faults';
import { mintCode } from '../../services/code-minting';
import type { Platform } from '../../services/context';
import { ChannelSchema, errorResponses } from '../schemas';
import type { App } from '../types';

const admin = [{ adminToken: [] }];
const ClockSchema = Type.Object({ now: Type.String() });
const ScenarioSchema = Type.Union([
  Type.Literal('paid'),
  Type.Literal('password-then-paid'),
  Type.Literal('password-then-abandon'),
  Type.Literal('insufficient'),
]);

/** The TEST control API (payments.md §10): faults on demand, the clock, fresh TEST payment codes. */
export function controlRoutes(app: App, p: Platform): void {
  app.post(
    '/test/faults',
    {
      config: { paygateAccess: 'admin' },
      schema: {
        tags: ['test control'],
        summary: 'Set a fault for one payment code or one merchant',
        security: admin,
        body: FaultInputSchema,
        response: { 200: FaultSchema, ...errorResponses },
      },
    },
    async (req) => {
      try {
        return p.faults.add(req.body);
      } catch (e) {
        throw new PaygateError('PGW_ERR_REQ_INVALID', e instanceof Error ? e.message : String(e));
      }
    },
  );

  app.get(
    '/test/faults',
    {
      config: { paygateAccess: 'admin' },
      schema: {
        tags: ['test control'],
        summary: 'The faults in force',
        security: admin,
        response: { 200: Type.Object({ faults: Type.Array(FaultSchema) }), ...errorResponses },
      },
    },
    async () => ({ faults: [...p.faults.list()] }),
  );

  app.delete(
    '/test/faults',
    {
      config: { paygateAccess: 'admin' },
      schema: {
        tags: ['test control'],
        summary: 'Clear every fault',
        security: admin,
        response: { 200: Type.Object({ cleared: Type.Boolean() }), ...errorResponses },
      },
    },
    async () => {
      p.faults.clear();
      return { cleared: true };
    },
  );

  app.delete(
    '/test/faults/:id',
    {
      config: { paygateAccess: 'admin' },
      schema: {
        tags: ['test control'],
        summary: 'Clear one fault',
        security: admin,
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 200: Type.Object({ cleared: Type.Boolean() }), ...errorResponses },
      },
    },
    async (req) => ({ cleared: p.faults.remove(req.params.id) }),
  );

  app.get(
    '/test/clock',
    {
      config: { paygateAccess: 'admin' },
      schema: {
        tags: ['test control'],
        summary: 'The platform clock',
        security: admin,
        response: { 200: ClockSchema, ...errorResponses },
      },
    },
    async () => ({ now: p.clock.now().toISOString() }),
  );

  app.post(
    '/test/clock',
    {
      config: { paygateAccess: 'admin' },
      schema: {
        tags: ['test control'],
        summary: 'Set the platform clock (`at`) or move it on (`advanceSeconds`)',
        security: admin,
        body: Type.Object(
          {
            at: Type.Optional(Type.String({ format: 'date-time' })),
            advanceSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 400 * 86_400 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ClockSchema, ...errorResponses },
      },
    },
    async (req) => {
      if (req.body.at !== undefined) p.clock.set(new Date(req.body.at));
      if (req.body.advanceSeconds !== undefined) p.clock.advance(req.body.advanceSeconds * 1000);
      return { now: p.clock.now().toISOString() };
    },
  );

  app.post(
    '/test/codes',
    {
      config: { paygateAccess: 'admin' },
      schema: {
        tags: ['test control'],
        summary: 'A fresh TEST payment code of a channel (works once, expires after the code TTL)',
        security: admin,
        body: Type.Object(
          { channel: ChannelSchema, scenario: Type.Optional(ScenarioSchema) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            code: Type.String(),
            channel: ChannelSchema,
            expiresAt: Type.String(),
            test: Type.Literal(true),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => ({
      ...mintCode(p, req.body.channel, req.body.scenario ?? 'paid'),
      channel: req.body.channel,
      test: true as const,
    }),
  );
}
