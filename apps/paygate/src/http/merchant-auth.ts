import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock';
import { PaygateError } from '../errors';
import type { Merchant } from '../merchants';
import type { ReplayGuard } from '../signing/replay-guard';
import { HEADER, NONCE_PATTERN, signResponse, verifyRequest } from '../signing/signature';
import type { App } from './types';

function header(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Merchant routes: the body bytes are kept as they came (the signature covers their digest), the signature is
 * checked before the body is validated (a stranger learns nothing about the schema), and every answer to a
 * signed request is signed back, bound to its nonce.
 */
export function merchantAuth(
  app: App,
  o: { merchants: readonly Merchant[]; replay: ReplayGuard; clock: Clock; bodyLimit: number },
): void {
  const byId = new Map(o.merchants.map((m) => [m.id, m]));
  app.decorateRequest('merchant', undefined);
  app.decorateRequest('rawBody', undefined);

  app.addHook('preParsing', async (req, _reply, payload) => {
    if (req.routeOptions.config.paygateAccess !== 'merchant') return payload;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += b.length;
      if (size > o.bodyLimit) throw new PaygateError('PGW_ERR_REQ_TOO_LARGE');
      chunks.push(b);
    }
    const raw = Buffer.concat(chunks);
    req.rawBody = raw;
    return Object.assign(Readable.from([raw]), { receivedEncodedLength: raw.length });
  });

  app.addHook('preValidation', async (req) => {
    if (req.routeOptions.config.paygateAccess !== 'merchant') return;
    const merchantId = header(req.headers[HEADER.merchant]);
    const timestamp = header(req.headers[HEADER.timestamp]);
    const nonce = header(req.headers[HEADER.nonce]);
    const signature = header(req.headers[HEADER.signature]);
    if (!merchantId || !timestamp || !nonce || !signature) throw new PaygateError('PGW_ERR_SIGN_MISSING');
    const merchant = byId.get(merchantId);
    if (!merchant) throw new PaygateError('PGW_ERR_SIGN_UNKNOWN_MERCHANT', merchantId.slice(0, 32));
    if (!/^\d{1,12}$/.test(timestamp) || !NONCE_PATTERN.test(nonce)) {
      throw new PaygateError('PGW_ERR_SIGN_INVALID', 'timestamp or nonce malformed');
    }
    const parts = {
      method: req.method,
      path: req.url,
      merchantId,
      timestamp: Number(timestamp),
      nonce,
      body: req.rawBody ?? '',
    };
    if (!verifyRequest(merchant.key, parts, signature)) throw new PaygateError('PGW_ERR_SIGN_INVALID');
    // Only a correctly signed request spends its nonce: a forger cannot burn the station's nonces.
    const check = o.replay.check(merchantId, parts.timestamp, nonce, o.clock.now());
    if (check === 'stale') throw new PaygateError('PGW_ERR_SIGN_STALE', `timestamp ${timestamp}`);
    if (check === 'replayed') throw new PaygateError('PGW_ERR_SIGN_REPLAYED');
    req.merchant = merchant;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const m = req.merchant;
    const nonce = header(req.headers[HEADER.nonce]);
    if (!m || !nonce) return payload;
    const body =
      typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    reply.header(HEADER.signature, signResponse(m.key, m.id, nonce, reply.statusCode, body));
    return payload;
  });
}

/** The merchant of a signed route's request (set by the preValidation hook; a route without it is a bug). */
export function signedMerchant(req: FastifyRequest): Merchant {
  if (!req.merchant) throw new PaygateError('PGW_ERR_SIGN_MISSING');
  return req.merchant;
}
