import {
  ArrearsPaybackBody,
  ArrearsPaybackCommitBody,
  ArrearsPaybackIdParam,
  ArrearsPaybackRecoverBody,
  ArrearsPaybackSchema,
  CancelBody,
  CpcPaymentIntentBody,
} from '@tollpad/station-api';
import { Type } from 'typebox';
import type { Services } from '../../services/services';
import { errorResponses } from '../schemas';
import { type App, principalOf } from '../types';

const CommitAnswer = Type.Object({ replayed: Type.Boolean(), payback: ArrearsPaybackSchema });

/**
 * 补缴 (issue #22 item 4): a payback of a plate's open arrears entries, its own transaction on the collector's
 * terminal and shift — opened priced at the entries' sum, paid like a CPC exit, committed to its own record.
 */
export function arrearsPaybackRoutes(app: App, s: Services): void {
  const collector = { stationAccess: ['collector'] as const };
  const tags = ['arrears'];

  app.post(
    '/arrears-paybacks',
    {
      config: collector,
      schema: {
        tags,
        summary: '补缴 — open a payback of the named open entries; amount = their sum at the centre',
        body: ArrearsPaybackBody,
        response: { 201: ArrearsPaybackSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await s.paybacks.open(principalOf(req), req.body)),
  );

  app.get(
    '/arrears-paybacks/:id',
    {
      config: collector,
      schema: {
        tags,
        summary: 'One payback: its entries, payment, record and where the record stands with the centre',
        params: ArrearsPaybackIdParam,
        response: { 200: ArrearsPaybackSchema, ...errorResponses },
      },
    },
    async (req) => s.paybacks.read(principalOf(req), req.params.id),
  );

  app.post(
    '/arrears-paybacks/:id/payment',
    {
      config: collector,
      schema: {
        tags,
        summary: 'The payback’s payment intent (QR, cash, the driver’s ETC card): its trade ID and pay ID',
        params: ArrearsPaybackIdParam,
        body: CpcPaymentIntentBody,
        response: { 200: ArrearsPaybackSchema, ...errorResponses },
      },
    },
    async (req) => s.paybacks.pay(principalOf(req), req.params.id, req.body),
  );

  app.post(
    '/arrears-paybacks/:id/commit',
    {
      config: collector,
      schema: {
        tags,
        summary: '【提交数据】 — the payback record (idempotent on the trade ID), uploaded to the centre',
        params: ArrearsPaybackIdParam,
        body: ArrearsPaybackCommitBody,
        response: { 200: CommitAnswer, 201: CommitAnswer, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await s.paybacks.commit(principalOf(req), req.params.id, req.body);
      return reply.status(r.replayed ? 200 : 201).send(r);
    },
  );

  app.post(
    '/arrears-paybacks/:id/recover',
    {
      config: { stationAccess: ['collector', 'monitor'] },
      schema: {
        tags,
        summary: 'Recover a payback whose payment was announced: paid (commit) or not (payable again)',
        params: ArrearsPaybackIdParam,
        body: ArrearsPaybackRecoverBody,
        response: { 200: ArrearsPaybackSchema, ...errorResponses },
      },
    },
    async (req) => s.paybacks.recover(principalOf(req), req.params.id, req.body),
  );

  app.post(
    '/arrears-paybacks/:id/cancel',
    {
      config: { stationAccess: ['collector', 'monitor'] },
      schema: {
        tags,
        summary: 'Cancel a payback before its payment',
        params: ArrearsPaybackIdParam,
        body: CancelBody,
        response: { 200: ArrearsPaybackSchema, ...errorResponses },
      },
    },
    async (req) => s.paybacks.cancel(principalOf(req), req.params.id, req.body.reason),
  );
}
