import {
  AccountDisabledBody,
  AccountPasswordBody,
  AccountRoleBody,
  AccountSchema,
  AuditEntrySchema,
  AuditQuery,
  LoginBody,
  LoginResultSchema,
  MeSchema,
  NewAccountBody,
} from '@tollpad/station-api';
import { Type } from 'typebox';
import type { AccountRow } from '../../db/schema';
import { isRole, type Role } from '../../services/auth.service';
import type { Services } from '../../services/services';
import { errorResponses, IdParam, Ok } from '../schemas';
import { clearedSessionCookie, sessionCookie, wantsSessionCookie } from '../session-cookie';
import { type App, principalOf } from '../types';

function toAccount(r: AccountRow, heldUntil: string | null) {
  // An unknown stored role is shown as a collector's (the least rights); login refuses such an account.
  const role: Role = isRole(r.role) ? r.role : 'collector';
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role,
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
        body: LoginBody,
        response: { 200: LoginResultSchema, ...errorResponses },
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
        response: { 200: MeSchema, ...errorResponses },
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
      // A monitor sees the collectors (whom they may unlock); an admin sees every account.
      config: { stationAccess: ['monitor', 'admin'] },
      schema: {
        tags: ['accounts'],
        summary: 'List accounts (a monitor: the collectors only)',
        response: { 200: Type.Array(AccountSchema), ...errorResponses },
      },
    },
    async (req) => {
      const admin = principalOf(req).role === 'admin';
      return (await s.auth.listAccountViews())
        .filter((a) => admin || a.row.role === 'collector')
        .map((a) => toAccount(a.row, a.heldUntil));
    },
  );

  app.post(
    '/accounts',
    {
      config: { stationAccess: ['admin'] },
      schema: {
        tags: ['accounts'],
        summary: 'Create an account',
        body: NewAccountBody,
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
        summary: 'Disable or enable an account (never oneself, never the last enabled admin)',
        params: IdParam,
        body: AccountDisabledBody,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await s.auth.setDisabled(req.params.id, req.body.disabled, principalOf(req).accountId);
      return { ok: true as const };
    },
  );

  app.put(
    '/accounts/:id/role',
    {
      config: { stationAccess: ['admin'] },
      schema: {
        tags: ['accounts'],
        summary: "Change an account's role (never one's own, never the last enabled admin's)",
        params: IdParam,
        body: AccountRoleBody,
        response: { 200: AccountSchema, ...errorResponses },
      },
    },
    async (req) => {
      const row = await s.auth.setRole(req.params.id, req.body.role, principalOf(req).accountId);
      return toAccount(row, null);
    },
  );

  app.post(
    '/accounts/:id/password',
    {
      config: { stationAccess: ['admin'] },
      schema: {
        tags: ['accounts'],
        summary: '重置密码 — set a new password; every session of the account ends',
        params: IdParam,
        body: AccountPasswordBody,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (req) => {
      await s.auth.resetPassword(req.params.id, req.body.password, principalOf(req).accountId);
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
        querystring: AuditQuery,
        response: { 200: Type.Array(AuditEntrySchema), ...errorResponses },
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
