export type { App } from '@tollpad/server-kit';

import type { Peer } from './peer';

/**
 * Who may call a route: 'public' (anyone), 'station' (any peer with a client certificate from the centre CA:
 * a station or a publisher), 'publisher' (a publisher's certificate only: publishing tariffs and lists).
 */
export type Access = 'public' | 'station' | 'publisher';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /** The authenticated caller (set for every route that is not public). */
    peer: Peer | undefined;
  }
}
