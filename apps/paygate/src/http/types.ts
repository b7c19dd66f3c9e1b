export type { App } from '@tollpad/server-kit';

import type { Op } from '../faults';
import type { Merchant } from '../merchants';

/**
 * Who may call a route: 'public' (health, OpenAPI), 'merchant' (a request signed with a merchant key),
 * 'driver' (the holder of a 主扫 code: the driver's app), 'admin' (the TEST control API: its own token, from
 * the loopback only).
 */
export type Access = 'public' | 'merchant' | 'driver' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    paygateAccess?: Access;
    /** The operation, for faults aimed at it. */
    op?: Op;
  }
  interface FastifyRequest {
    /** The merchant whose signature the request carries (merchant routes). */
    merchant: Merchant | undefined;
    /** The exact body bytes, for the body digest of the signature. */
    rawBody: Buffer | undefined;
  }
}
