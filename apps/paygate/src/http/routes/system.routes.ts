import { Type } from 'typebox';
import type { Platform } from '../../services/context';
import { errorResponses } from '../schemas';
import type { App } from '../types';

export function systemRoutes(app: App, p: Platform): void {
  app.get(
    '/healthz',
    {
      config: { paygateAccess: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness and the platform clock',
        security: [],
        response: {
          200: Type.Object({ status: Type.Literal('ok'), time: Type.String(), test: Type.Literal(true) }),
          ...errorResponses,
        },
      },
    },
    async () => ({ status: 'ok' as const, time: p.clock.now().toISOString(), test: true as const }),
  );

  app.get(
    '/openapi.json',
    {
      config: { paygateAccess: 'public' },
      schema: {
        tags: ['system'],
        summary: 'This OpenAPI document',
        security: [],
        response: { 200: Type.Object({}, { additionalProperties: true }), ...errorResponses },
      },
    },
    async () => app.swagger(),
  );
}
