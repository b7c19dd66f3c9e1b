import { Type } from 'typebox';
import type { AccountRow } from '../../db/schema';
import { ROLES } from '../../services/auth.service';
import type { Services } from '../../services/services';
import { errorResponses, IdParam, Ok } from '../schemas';
import { clearedSessionCookie, sessionCookie, wantsSessionCookie } from '../session-cookie';
import { type App, principalOf } from '../types';

const RoleSchema = Type.Enum(ROLES);

const AccountSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  disabled: Type.Boolean(),
  demo: Type.Boolean(),
  /** The latest login back-off still running on the account (some source must wait until then). */
  lockedUntil: Type.Union([Type.String(), Type.Null()]),
});

function toAccount(r: AccountRow, heldUntil: string | null) {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    disabled: r.disabled === 1,
    demo: r.demo === 1,
    lockedUntil: heldUntil,
  };
}

/** `https`: whether the session cookie is Secure (and `__Host-` named). */
export function accountRoutes(app: App, s: Services, https: boolean): void {
  app.post(
    '/auth/login',
    {
      config: { stationAccess: 'public' },
      schema: {
        tags: ['auth'],
        summary:
          '登录 — log in; returns a bearer token, or with x-tollpad-csrf: 1 sets it as an HttpOnly cookie instead',
        security: [],
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            password: Type.String({ minLength: 1, maxLength: 256 }),
            terminalId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            /** Absent when the session went into the HttpOnly cookie: no script gets to see it. */
            token: Type.Optional(Type.String()),
            expiresAt: Type.String(),
            account: Type.Object({
              id: Type.String(),
              username: Type.String(),
              displayName: Type.String(),
              role: RoleSchema,
            }),
          }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const r = await s.auth.login(
        req.body.username,
        req.body.password,
        req.body.terminalId ?? null,
        req.clientAddress,
      );
      const p = r.principal;
      const toCookie = wantsSessionCookie(req.headers);
      if (toCookie) reply.header('set-cookie', sessionCookie(r.token, r.expiresAt, s.now(), https));
      return {
        ...(toCookie ? {} : { token: r.token }),
        expiresAt: r.expiresAt,
        account: { id: p.accountId, username: p.username, displayName: p.displayName, role: p.role },
      };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { stationAccess: ['collector', 'monitor', 'admin'] },
      schema: {
        tags: ['auth'],
        summary: '退出登录 — revoke this session (and clear its cookie)',
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req, reply) => {
      await s.auth.logout(principalOf(req));
      reply.header('set-cookie', clearedSessionCookie(https));
      return { ok: true as const };
    },
  );

  app.get(
    '/auth/me',
    {
      config: { stationAccess: ['collector', 'monitor', 'admin'] },
      schema: {
        tags: ['auth'],
        summary: 'The logged-in account',
        response: {
          200: Type.Object({
            id: Type.String(),
            username: Type.String(),
            displayName: Type.String(),
            role: RoleSchema,
            terminalId: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const p = principalOf(req);
      return {
        id: p.accountId,
        username: p.username,
        displayName: p.displayName,
        role: p.role,
        terminalId: p.terminalId,
      };
    },
  );

  app.get(
    '/accounts',
    {
      config: { stationAccess: ['admin'] },
      schema: {
        tags: ['accounts'],
        summary: 'List accounts',
        response: { 200: Type.Array(AccountSchema), ...errorResponses },
      },
    },
    async () => (await s.auth.listAccountViews()).map((a) => toAccount(a.row, a.heldUntil)),
  );

  app.post(
    '/accounts',
    {
      config: { stationAccess: ['admin'] },
      schema: {
        tags: ['accounts'],
        summary: 'Create an account',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }),
            displayName: Type.String({ minLength: 1, maxLength: 64 }),
            role: RoleSchema,
            password: Type.String({ minLength: 8, maxLength: 256 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: AccountSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const row = await s.auth.createAccount(req.body, principalOf(req).accountId);
      return reply.status(201).send(toAccount(row, null));
    },
  );

  app.put(
    '/accounts/:id/disabled',
    {
      config: { stationAccess: ['admin'] },
      schema: {
        tags: ['accounts'],
        summary: 'Disable or enable an account',
        params: IdParam,
        body: Type.Object({ disabled: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await s.auth.setDisabled(req.params.id, req.body.disabled, principalOf(req).accountId);
      return { ok: true as const };
    },
  );

  app.post(
    '/accounts/:id/unlock',
    {
      // A monitor may unlock collectors only; the service checks the target's role.
      config: { stationAccess: ['monitor', 'admin'] },
      schema: {
        tags: ['accounts'],
        summary: '解锁 — clear the login back-off of every source on an account',
        params: IdParam,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await s.auth.unlock(req.params.id, principalOf(req));
      return { ok: true as const };
    },
  );

  app.get(
    '/audit',
    {
      config: { stationAccess: ['admin'] },
      schema: {
        tags: ['audit'],
        summary: 'Audit log page (append-only, hash-chained)',
        querystring: Type.Object({
          after: Type.Integer({ minimum: 0, default: 0 }),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: {
          200: Type.Array(
            Type.Object({
              seq: Type.Integer(),
              at: Type.String(),
              actor: Type.String(),
              action: Type.String(),
              target: Type.String(),
              detail: Type.String(),
              hash: Type.String(),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      (await s.audit.list(req.query.after, req.query.limit)).map((r) => ({ ...r, seq: Number(r.seq) })),
  );

  app.get(
    '/audit/verify',
    {
      config: { stationAccess: ['admin'] },
      schema: {
        tags: ['audit'],
        summary: 'Recompute the audit hash chain',
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            checked: Type.Integer(),
            brokenAt: Type.Optional(Type.Integer()),
          }),
          ...errorResponses,
        },
      },
    },
    async () => s.audit.verify(),
  );
}
