import { Type } from 'typebox';
import { psamStationOf } from '../../services/psam-state.service';
import type { Services } from '../../services/services';
import { errorResponses } from '../schemas';
import type { App } from '../types';

export function psamRoutes(app: App, s: Services): void {
  app.post(
    '/psam/auth',
    {
      config: { access: 'station' },
      schema: {
        tags: ['psam'],
        summary: 'PSAM授权 — answer a PSAM challenge with the authorisation APDU to send to it',
        body: Type.Object(
          {
            laneId: Type.String({ minLength: 1, maxLength: 21 }),
            terminalNo: Type.String({ pattern: '^[0-9A-Fa-f]{12}$' }),
            psamNo: Type.String({ pattern: '^[0-9A-Fa-f]{20}$' }),
            version: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
            keyType: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
            areaCode: Type.Optional(Type.String({ maxLength: 8 })),
            random: Type.String({
              pattern: '^[0-9A-Fa-f]{8}$',
              description: 'GET CHALLENGE (00 84 00 00 04) answer',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            apdu: Type.String({ description: 'hex APDU to send to the PSAM, e.g. 0082000008‖8 bytes' }),
            expectSw: Type.Literal('9000'),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const b = req.body;
      const caller = req.peer?.role === 'station' ? req.peer.stationId : null;
      return s.psam.authorise(
        {
          laneId: b.laneId,
          terminalNo: b.terminalNo,
          psamNo: b.psamNo,
          random: b.random,
          ...(b.version !== undefined ? { version: b.version } : {}),
          ...(b.keyType !== undefined ? { keyType: b.keyType } : {}),
          ...(b.areaCode !== undefined ? { areaCode: b.areaCode } : {}),
        },
        psamStationOf(caller, b.laneId),
      );
    },
  );
}
