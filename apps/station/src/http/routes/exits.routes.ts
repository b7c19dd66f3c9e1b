import type { AnyExitRecord } from '@tollpad/domain';
import {
  AnyCommitBody,
  AuthorisationBody,
  AuthorisationWaitQuery,
  type AuthStatus,
  CancelBody,
  CommitAnswer,
  CreateExitBody,
  DebitIntentAnswer,
  type ExitChecks,
  ExitFeeBody,
  ExitImageBody,
  ExitListQuery,
  ExitListSchema,
  ExitSchema,
  type ExitState,
  type ExitTransaction,
  IdParam,
  PaymentAttemptBody,
  PaymentIntentBody,
  PaymentStatusSchema,
  PaymentWaitQuery,
  RecoverAnswer,
  RecoverBody,
  type Static,
  type TSchema,
} from '@tollpad/station-api';
import type { ExitTxnRow } from '../../db/schema';
import type { Principal } from '../../services/auth.service';
import { type FeeJson, readJsonColumn } from '../../services/json-columns';
import type { Services } from '../../services/services';
import { errorResponses } from '../schemas';
import { type Access, type App, principalOf } from '../types';

const parse = <T>(s: string | null): Readonly<T> | null => (s === null ? null : readJsonColumn<T>(s));

/** A transaction row as the wire contract shows it. */
export function exitView(t: ExitTxnRow, describe: (c: number) => string): ExitTransaction {
  const read = readJsonColumn<{ card: Record<string, unknown> }>(t.read_json);
  const checks = readJsonColumn<ExitChecks>(t.checks_json);
  const fee = parse<FeeJson>(t.fee_json);
  return {
    id: t.id,
    state: t.state as ExitState,
    medium: t.medium === 'cpc' || t.medium === 'none' ? t.medium : 'etc',
    laneId: t.lane_id,
    terminalId: t.terminal_id,
    shiftId: t.shift_id,
    cardId: t.card_no,
    card: read.card,
    checks,
    image:
      t.plate !== null && t.plate_colour !== null && t.photo_sha256 !== null
        ? { plate: t.plate, plateColour: t.plate_colour, photoSha256: t.photo_sha256 }
        : null,
    fee: fee
      ? {
          vehicleClass: fee.vehicleClass,
          vehicleKind: fee.vehicleKind,
          fee: fee.charge.fee,
          payFee: fee.charge.payFee,
          discountFee: fee.charge.discountFee,
          exitFeeType: fee.charge.exitFeeType,
          specials: fee.specials.map((code) => ({ code, description: describe(code) })),
          // fee_json's etcPayable is whether the row's payment can take the charge (named before the CPC).
          etcPayable: t.medium === 'etc' && fee.etcPayable,
          payable: fee.etcPayable,
          payment: t.medium === 'etc' ? 'etc-debit' : 'by-method',
          notPayableReason: fee.notPayableReason,
          decision: fee.decision,
        }
      : null,
    authorisation: {
      status: t.auth_status as AuthStatus,
      reasons: fee?.authReasons ?? [],
      by: t.auth_by,
      reason: t.auth_reason,
      at: t.auth_at,
    },
    tradeId: t.trade_id,
    debit: parse<Record<string, unknown>>(t.debit_json),
    cancelReason: t.cancel_reason,
    createdAt: t.created_at,
    updatedAt: t.updated_at,
  };
}

export function exitRoutes(app: App, s: Services): void {
  const view = (t: ExitTxnRow) => exitView(t, s.describeSpecial);
  const collector = { stationAccess: ['collector'] as const };

  /** A step on one transaction: `POST /exits/:id/<step>` with its body, answered with the transaction. */
  const step = <B extends TSchema>(
    name: string,
    access: Access,
    summary: string,
    body: B,
    run: (p: Principal, id: string, body: Static<B>) => Promise<ExitTxnRow>,
  ) =>
    app.post(
      `/exits/:id/${name}`,
      {
        config: { stationAccess: access },
        schema: {
          tags: ['exit'],
          summary,
          params: IdParam,
          body,
          response: { 200: ExitSchema, ...errorResponses },
        },
      },
      async (req) => view(await run(principalOf(req), req.params.id, req.body as Static<B>)),
    );

  app.post(
    '/exits',
    {
      config: collector,
      schema: {
        tags: ['exit'],
        summary: '【读卡】 — open an exit transaction from what the ETC card (and OBU) or the CPC read',
        body: CreateExitBody,
        response: { 201: ExitSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const t = await s.exits.create(principalOf(req), req.body);
      return reply.status(201).send(view(t));
    },
  );

  app.get(
    '/exits',
    {
      config: { stationAccess: ['monitor', 'admin'] },
      schema: {
        tags: ['exit'],
        summary: 'Transactions in progress (e.g. awaiting authorisation)',
        querystring: ExitListQuery,
        response: { 200: ExitListSchema, ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await s.exits.list({
        limit: q.limit,
        ...(q.state ? { state: q.state } : {}),
        ...(q.laneId ? { laneId: q.laneId } : {}),
        ...(q.authStatus ? { authStatus: q.authStatus } : {}),
      });
      return rows.map(view);
    },
  );

  app.get(
    '/exits/:id',
    {
      config: { stationAccess: ['collector', 'monitor', 'admin'] },
      schema: {
        tags: ['exit'],
        summary: 'One exit transaction',
        params: IdParam,
        response: { 200: ExitSchema, ...errorResponses },
      },
    },
    async (req) => view(await s.exits.read(principalOf(req), req.params.id)),
  );

  step(
    'image',
    ['collector'],
    '【提交图片数据】 — actual plate, colour and photo (upload the photo to /images first)',
    ExitImageBody,
    (p, id, b) => s.exits.image(p, id, b),
  );

  step(
    'fee',
    ['collector'],
    '【算费】 — chosen class (车型) and kind (车种) → the fee decision',
    ExitFeeBody,
    (p, id, b) => s.exits.fee(p, id, b),
  );

  step(
    'authorisation',
    ['monitor'],
    '班长授权 — approve or refuse, with a reason',
    AuthorisationBody,
    (p, id, b) => s.exits.authorise(p, id, b),
  );

  app.get(
    '/exits/:id/authorisation',
    {
      config: { stationAccess: ['collector', 'monitor'] },
      schema: {
        tags: ['exit'],
        summary: 'Long-poll until the authorisation is decided (or waitMs passes)',
        params: IdParam,
        querystring: AuthorisationWaitQuery,
        response: { 200: ExitSchema, ...errorResponses },
      },
    },
    async (req) => {
      const ac = new AbortController();
      req.raw.once('close', () => ac.abort());
      return view(
        await s.exits.waitForDecision(principalOf(req), req.params.id, req.query.waitMs, ac.signal),
      );
    },
  );

  app.post(
    '/exits/:id/debit-intent',
    {
      config: collector,
      schema: {
        tags: ['exit'],
        summary:
          'The payment intent: an ETC debit just before DEBIT, or a CPC exit’s cash; returns the exit trade ID and PassID',
        params: IdParam,
        body: PaymentIntentBody,
        response: { 200: DebitIntentAnswer, ...errorResponses },
      },
    },
    async (req) => {
      const r = await s.exits.debitIntent(principalOf(req), req.params.id, req.body);
      const payment = r.txn.medium !== 'etc' ? await s.exits.paymentNow(r.txn) : undefined;
      return {
        tradeId: r.txn.trade_id ?? '',
        passId: r.debit.passId,
        exTime: r.debit.exTime,
        amount: r.debit.amount,
        transaction: view(r.txn),
        ...(payment ? { payment } : {}),
      };
    },
  );

  app.get(
    '/exits/:id/payment',
    {
      config: collector,
      schema: {
        tags: ['exit'],
        summary:
          'Long-poll a CPC exit’s payment: answers when its version passes `since`, or after waitMs (state, Chinese progress line, 主扫 code)',
        params: IdParam,
        querystring: PaymentWaitQuery,
        response: { 200: PaymentStatusSchema, ...errorResponses },
      },
    },
    async (req) => {
      const ac = new AbortController();
      req.raw.once('close', () => ac.abort());
      return s.exits.payment(principalOf(req), req.params.id, req.query.since, req.query.waitMs, ac.signal);
    },
  );

  app.post(
    '/exits/:id/payment/stop',
    {
      config: collector,
      schema: {
        tags: ['exit'],
        summary: 'The collector stops waiting for the payer: the station queries, then cancels',
        params: IdParam,
        response: { 200: PaymentStatusSchema, ...errorResponses },
      },
    },
    async (req) => s.exits.stopPayment(principalOf(req), req.params.id),
  );

  app.post(
    '/exits/:id/payment/attempts',
    {
      config: collector,
      schema: {
        tags: ['exit'],
        summary: 'Another code under the same pay ID and amount, after the last attempt ended not paid',
        params: IdParam,
        body: PaymentAttemptBody,
        response: { 200: PaymentStatusSchema, ...errorResponses },
      },
    },
    async (req) => s.exits.anotherAttempt(principalOf(req), req.params.id, req.body),
  );

  app.post(
    '/exits/:id/commit',
    {
      config: collector,
      schema: {
        tags: ['exit'],
        summary:
          '【提交数据】 — the card trade proof (ETC) or the CPC exit write’s outcome → the final exit record (idempotent on the trade ID)',
        params: IdParam,
        body: AnyCommitBody,
        response: { 200: CommitAnswer, 201: CommitAnswer, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await s.exits.commit(principalOf(req), req.params.id, req.body);
      return reply.status(r.replayed ? 200 : 201).send({
        replayed: r.replayed,
        tradeId: r.record.trade_id,
        record: r.built ?? (JSON.parse(r.record.record_json) as AnyExitRecord),
      });
    },
  );

  app.post(
    '/exits/:id/recover',
    {
      config: { stationAccess: ['collector', 'monitor'] },
      schema: {
        tags: ['exit'],
        summary: 'Recover a pending debit from the card proof (GET TRANSACTION PROVE)',
        params: IdParam,
        body: RecoverBody,
        response: { 200: RecoverAnswer, ...errorResponses },
      },
    },
    async (req) => {
      const r = await s.exits.recover(principalOf(req), req.params.id, req.body);
      return {
        transaction: view(r.txn),
        record: r.record ? (JSON.parse(r.record.record_json) as AnyExitRecord) : null,
      };
    },
  );

  step('cancel', ['collector', 'monitor'], 'Cancel before the debit', CancelBody, (p, id, b) =>
    s.exits.cancel(p, id, b.reason),
  );
}
