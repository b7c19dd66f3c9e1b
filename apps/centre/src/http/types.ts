export type { App } from '@tollpad/server-kit';

/** Who may call a route: 'public' (no token) or 'station' (the API token when one is configured). */
export type Access = 'public' | 'station';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}
