import { timingSafeEqual } from 'node:crypto';
import { PaygateError } from '../errors';
import type { App } from './types';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** The TEST control API: only from this machine, only with the admin token, only when one is configured. */
export function adminAuth(app: App, adminToken: string | undefined): void {
  const token = adminToken ? Buffer.from(adminToken) : undefined;
  app.addHook('onRequest', async (req) => {
    if (req.routeOptions.config.paygateAccess !== 'admin') return;
    if (!token) throw new PaygateError('PGW_ERR_ADMIN_DISABLED');
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      throw new PaygateError('PGW_ERR_ADMIN_LOOPBACK_ONLY', req.socket.remoteAddress);
    }
    const auth = req.headers.authorization;
    const given =
      typeof auth === 'string' && auth.startsWith('Bearer ') ? Buffer.from(auth.slice(7)) : undefined;
    if (!given || given.length !== token.length || !timingSafeEqual(given, token)) {
      throw new PaygateError('PGW_ERR_ADMIN_REQUIRED');
    }
  });
}
