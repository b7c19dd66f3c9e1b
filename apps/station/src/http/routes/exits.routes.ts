import { type Static, Type } from 'typebox';
import type { ExitTxnRow } from '../../db/schema';
import { readJsonColumn } from '../../services/json-columns';
import type { Services } from '../../services/services';
import { errorResponses, IdParam } from '../schemas';
import { type App, principalOf } from '../types';

const Hex = (bytes: number) => Type.String({ pattern: `^[0-9A-Fa-f]{${bytes * 2}}$` });

const ObuSchema = Type.Object(
  {
    obuId: Type.String({ pattern: '^[0-9A-Fa-f]{16}$' }),
    issuerNetwork: Type.Optional(Type.String({ pattern: '^\\d{4}$' })),
    plate: Type.Optional(Type.String({ maxLength: 16 })),
    plateColour: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
    vehicleClass: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
    removed: Type.Boolean(),
    validUntil: Type.Optional(Type.String({ pattern: '^\\d{8}$' })),
    ef04: Type.Optional(
      Type.Object(
        {
          status: Type.Enum(['ok', 'bad-prefix', 'no-card-passes', 'entry-invalid', 'no-province']),
          totalAmount: Type.Integer({ minimum: 0 }),
          totalDiscountAmount: Type.Integer({ minimum: 0 }),
          provinceCount: Type.Integer({ minimum: 0, maximum: 40 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const CreateBody = Type.Object(
  {
    laneId: Type.String({ minLength: 21, maxLength: 21 }),
    card: Type.Object(
      {
        ef0015: Type.Union([Hex(43), Hex(50)]),
        ef0019: Hex(43),
        balance: Type.Integer({ minimum: 0, maximum: 0xffffffff }),
        layout0019: Type.Optional(Type.Enum(['legacy', '2019'])),
        obu: Type.Optional(ObuSchema),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const Special = Type.Object({ code: Type.Integer(), description: Type.String() });
const Json = Type.Unsafe<Record<string, unknown>>(Type.Object({}, { additionalProperties: true }));
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ExitSchema = Type.Object(
  {
    id: Type.String(),
    state: Type.Enum(['read', 'imaged', 'priced', 'debit_pending', 'committed', 'cancelled']),
    laneId: Type.String(),
    terminalId: Type.String(),
    shiftId: Type.String(),
    cardId: Type.String(),
    card: Json,
    checks: Type.Object({
      specials: Type.Array(Special),
      imageSpecials: Type.Array(Special),
      listHits: Type.Array(Json),
      suggested: Type.Object({ vehicleClass: Nullable(Type.Integer()), vehicleKind: Type.Integer() }),
      actions: Type.Array(Type.String()),
      blocked: Type.Boolean(),
      needsRelease: Type.Boolean(),
    }),
    image: Nullable(
      Type.Object({ plate: Type.String(), plateColour: Type.Integer(), photoSha256: Type.String() }),
    ),
    fee: Nullable(
      Type.Object({
        vehicleClass: Type.Integer(),
        vehicleKind: Type.Integer(),
        fee: Type.Integer(),
        payFee: Type.Integer(),
        discountFee: Type.Integer(),
        exitFeeType: Type.Integer(),
        specials: Type.Array(Special),
        etcPayable: Type.Boolean(),
        notPayableReason: Nullable(Type.String()),
        decision: Json,
      }),
    ),
    authorisation: Type.Object({
      status: Type.Enum(['none', 'required', 'approved', 'refused']),
      reasons: Type.Array(Type.Object({ code: Type.String(), text: Type.String() })),
      by: Nullable(Type.String()),
      reason: Nullable(Type.String()),
      at: Nullable(Type.String()),
    }),
    tradeId: Nullable(Type.String()),
    debit: Nullable(Json),
    cancelReason: Nullable(Type.String()),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'ExitTransaction' },
);

const parse = <T>(s: string | null): Readonly<T> | null => (s === null ? null : readJsonColumn<T>(s));

interface FeeView {
  vehicleClass: number;
  vehicleKind: number;
  charge: { fee: number; payFee: number; discountFee: number; exitFeeType: number };
  specials: number[];
  authReasons: { code: string; text: string }[];
  etcPayable: boolean;
  notPayableReason: string | null;
  decision: Record<string, unknown>;
}

export function exitView(t: ExitTxnRow, describe: (c: number) => string) {
  const read = readJsonColumn<{ card: Record<string, unknown> }>(t.read_json);
  const checks = readJsonColumn<Static<typeof ExitSchema>['checks']>(t.checks_json);
  const fee = parse<FeeView>(t.fee_json);
  return {
    id: t.id,
    state: t.state as 'read',
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
          etcPayable: fee.etcPayable,
          notPayableReason: fee.notPayableReason,
          decision: fee.decision,
        }
      : null,
    authorisation: {
      status: t.auth_status as 'none',
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

export const CommitBody = Type.Object(
  {
    tradeId: Type.String({ pattern: '^.{21}\\d{16}$' }),
    tac: Type.String({ pattern: '^[0-9A-Fa-f]{8}$' }),
    psamTerminalNo: Type.String({ pattern: '^[0-9A-Fa-f]{12}$' }),
    terminalTransNo: Type.String({ pattern: '^[0-9A-Fa-f]{8}$' }),
    cardTransNo: Type.Integer({ minimum: 0, maximum: 0xffff }),
    preBalance: Type.Integer({ minimum: -0x80000000, maximum: 0xffffffff }),
    postBalance: Type.Integer({ minimum: -0x80000000, maximum: 0xffffffff }),
    algorithm: Type.Union([Type.Literal(1), Type.Literal(2)]),
  },
  { additionalProperties: false },
);

export function exitRoutes(app: App, s: Services): void {
  const view = (t: ExitTxnRow) => exitView(t, s.describeSpecial);
  const collector = { stationAccess: ['collector'] as const };

  app.post(
    '/exits',
    {
      config: collector,
      schema: {
        tags: ['exit'],
        summary: '【读卡】 — open an exit transaction from what the card (and OBU) read',
        body: CreateBody,
        response: { 201: ExitSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const t = await s.exits.create(principalOf(req), req.body.laneId, req.body.card);
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
        querystring: Type.Object({
          state: Type.Optional(Type.String({ maxLength: 20 })),
          laneId: Type.Optional(Type.String({ maxLength: 21 })),
          authStatus: Type.Optional(Type.String({ maxLength: 20 })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: { 200: Type.Array(ExitSchema), ...errorResponses },
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

  app.post(
    '/exits/:id/image',
    {
      config: collector,
      schema: {
        tags: ['exit'],
        summary: '【提交图片数据】 — actual plate, colour and photo (upload the photo to /images first)',
        params: IdParam,
        body: Type.Object(
          {
            plate: Type.String({ minLength: 1, maxLength: 16 }),
            plateColour: Type.Integer({ minimum: 0, maximum: 99 }),
            photoSha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: ExitSchema, ...errorResponses },
      },
    },
    async (req) => view(await s.exits.image(principalOf(req), req.params.id, req.body)),
  );

  app.post(
    '/exits/:id/fee',
    {
      config: collector,
      schema: {
        tags: ['exit'],
        summary: '【算费】 — chosen class (车型) and kind (车种) → the fee decision',
        params: IdParam,
        body: Type.Object(
          {
            vehicleClass: Type.Integer({ minimum: 1, maximum: 26 }),
            vehicleKind: Type.Integer({ minimum: 0, maximum: 28 }),
            seats: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })),
            entryStation: Type.Optional(Type.String({ minLength: 8, maxLength: 14 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ExitSchema, ...errorResponses },
      },
    },
    async (req) => view(await s.exits.fee(principalOf(req), req.params.id, req.body)),
  );

  app.post(
    '/exits/:id/authorisation',
    {
      config: { stationAccess: ['monitor'] },
      schema: {
        tags: ['exit'],
        summary: '班长授权 — approve or refuse, with a reason',
        params: IdParam,
        body: Type.Object(
          { approve: Type.Boolean(), reason: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: ExitSchema, ...errorResponses },
      },
    },
    async (req) => view(await s.exits.authorise(principalOf(req), req.params.id, req.body)),
  );

  app.get(
    '/exits/:id/authorisation',
    {
      config: { stationAccess: ['collector', 'monitor'] },
      schema: {
        tags: ['exit'],
        summary: 'Long-poll until the authorisation is decided (or waitMs passes)',
        params: IdParam,
        querystring: Type.Object({ waitMs: Type.Integer({ minimum: 0, maximum: 30_000, default: 25_000 }) }),
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
        summary: 'Announce the debit just before DEBIT; returns the exit trade ID and PassID',
        params: IdParam,
        body: Type.Object(
          {
            cardId: Type.String({ pattern: '^\\d{20}$' }),
            cardAtc: Type.Integer({ minimum: 0, maximum: 0xffff }),
            amount: Type.Integer({ minimum: 0 }),
            psamTerminalNo: Type.String({ pattern: '^[0-9A-Fa-f]{12}$' }),
            terminalTransNo: Type.String({
              pattern: '^[0-9A-Fa-f]{8}$',
              description:
                "the PSAM's transaction serial for this purchase: the commit's proof must carry it",
            }),
            datetime: Type.String({
              pattern: '^\\d{14}$',
              description:
                'YYYYMMDDhhmmss, Beijing: the purchase datetime sent to the card (the record exTime)',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            tradeId: Type.String(),
            passId: Type.String(),
            exTime: Type.String(),
            amount: Type.Integer(),
            transaction: ExitSchema,
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const r = await s.exits.debitIntent(principalOf(req), req.params.id, req.body);
      return {
        tradeId: r.txn.trade_id ?? '',
        passId: r.debit.passId,
        exTime: r.debit.exTime,
        amount: r.debit.amount,
        transaction: view(r.txn),
      };
    },
  );

  const RecordAnswer = Type.Object({ replayed: Type.Boolean(), tradeId: Type.String(), record: Json });

  app.post(
    '/exits/:id/commit',
    {
      config: collector,
      schema: {
        tags: ['exit'],
        summary: '【提交数据】 — the card trade proof → the final exit record (idempotent on the trade ID)',
        params: IdParam,
        body: CommitBody,
        response: { 200: RecordAnswer, 201: RecordAnswer, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await s.exits.commit(principalOf(req), req.params.id, req.body);
      return reply.status(r.replayed ? 200 : 201).send({
        replayed: r.replayed,
        tradeId: r.record.trade_id,
        record: (r.built as Record<string, unknown> | undefined) ?? JSON.parse(r.record.record_json),
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
        body: Type.Union([
          Type.Object(
            { outcome: Type.Literal('debited'), commit: CommitBody },
            { additionalProperties: false },
          ),
          Type.Object(
            { outcome: Type.Literal('not-debited'), cardAtc: Type.Integer({ minimum: 0, maximum: 0xffff }) },
            { additionalProperties: false },
          ),
        ]),
        response: {
          200: Type.Object({ transaction: ExitSchema, record: Type.Union([Json, Type.Null()]) }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const r = await s.exits.recover(principalOf(req), req.params.id, req.body);
      return {
        transaction: view(r.txn),
        record: r.record ? (JSON.parse(r.record.record_json) as Record<string, unknown>) : null,
      };
    },
  );

  app.post(
    '/exits/:id/cancel',
    {
      config: { stationAccess: ['collector', 'monitor'] },
      schema: {
        tags: ['exit'],
        summary: 'Cancel before the debit',
        params: IdParam,
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: ExitSchema, ...errorResponses },
      },
    },
    async (req) => view(await s.exits.cancel(principalOf(req), req.params.id, req.body.reason)),
  );
}
