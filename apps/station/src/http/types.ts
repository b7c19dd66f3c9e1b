import type { Principal, Role } from '../services/auth.service';

export type { App } from '@tollpad/server-kit';

/** Who may call a route: 'public' (no session) or the roles allowed. Every route must declare it. */
export type Access = 'public' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    stationAccess?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** The client's address as rate limits and login back-off see it (see ClientAddresses). */
    clientAddress: string;
  }
}

/** The principal of an authenticated route (the onRequest hook guarantees it). */
export function principalOf(req: { principal: Principal | null }): Principal {
  if (!req.principal) throw new Error('principal missing on an authenticated route');
  return req.principal;
}
