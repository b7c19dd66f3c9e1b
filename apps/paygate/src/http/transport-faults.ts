import type { FastifyRequest } from 'fastify';
import { errorBody, PaygateError } from '../errors';
import type { Fault, FaultBoard } from '../faults';
import type { App } from './types';

/** Drops the connection: a reset where the socket allows one (the client sees ECONNRESET), else a close. */
function dropConnection(req: FastifyRequest): void {
  const socket = req.raw.socket;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

function authCodeOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('authCode' in body)) return undefined;
  const code = (body as { authCode: unknown }).authCode;
  return typeof code === 'string' ? code : undefined;
}

const pending = new WeakMap<FastifyRequest, Fault[]>();

/**
 * Transport faults (faults.ts): before the handler, an outage answers 503 or resets, a lost-before drops the
 * connection, a system error answers 500, a duplicate refuses the out-trade-no — nothing is committed. After
 * the handler committed, a delay holds the answer, a lost-after drops it and a system error replaces it.
 */
export function transportFaults(app: App, faults: FaultBoard): void {
  app.addHook('preHandler', async (req, reply) => {
    const op = req.routeOptions.config.op;
    if (!op) return;
    const merchantId = req.merchant?.id ?? undefined;
    const hits = faults.transportFor(merchantId, authCodeOf(req.body), op);
    if (hits.length === 0) return;
    for (const f of hits) {
      if (f.kind === 'outage-503') throw new PaygateError('PGW_ERR_SERVICE_DOWN', 'fault: outage');
      if (f.kind === 'outage-reset' || f.kind === 'lost-before-capture') {
        reply.hijack();
        dropConnection(req);
        return;
      }
      if (f.kind === 'system-error-before-capture')
        throw new PaygateError('PGW_ERR_INTERNAL', 'fault: system error');
      if (f.kind === 'duplicate-out-trade-no' && (op === 'micropay' || op === 'precreate')) {
        throw new PaygateError('PGW_ERR_OUT_TRADE_NO_USED', 'fault: used by another terminal');
      }
    }
    pending.set(req, hits);
  });

  // Registered before the answer is signed, so a replaced answer is signed as sent.
  app.addHook('onSend', async (req, reply, payload) => {
    const hits = pending.get(req);
    if (!hits) return payload;
    for (const f of hits) {
      if (f.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, f.delayMs ?? 2000));
    }
    if (hits.some((f) => f.kind === 'lost-after-capture')) dropConnection(req);
    if (hits.some((f) => f.kind === 'system-error-after-capture')) {
      reply.code(500);
      return JSON.stringify(errorBody(new PaygateError('PGW_ERR_INTERNAL', 'fault: system error'), req.id));
    }
    return payload;
  });
}
