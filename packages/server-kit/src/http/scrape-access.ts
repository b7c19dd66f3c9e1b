import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';

/**
 * Who may read `/metrics`: a client on the loopback address (the socket's, never a forwarded header), or one
 * presenting the configured scrape token as a bearer token. Metrics tell lane activity and error rates: not
 * for anyone on the network.
 */
export function mayScrape(req: FastifyRequest, scrapeToken: string | undefined): boolean {
  if (isLoopback(req.socket.remoteAddress)) return true;
  if (!scrapeToken) return false;
  const auth = req.headers.authorization;
  if (typeof auth !== 'string' || !auth.startsWith('Bearer ')) return false;
  const given = Buffer.from(auth.slice(7));
  const want = Buffer.from(scrapeToken);
  return given.length === want.length && timingSafeEqual(given, want);
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (a === '::1') return true;
  return isIP(a) === 4 && a.startsWith('127.');
}
