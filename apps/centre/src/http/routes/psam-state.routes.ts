import { type TSchema, Type } from 'typebox';
import { CentreError } from '../../errors';
import type { Services } from '../../services/services';
import { errorResponses, IsoSchema } from '../schemas';
import type { App } from '../types';

const orNull = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export function psamStateRoutes(app: App, s: Services): void {
  app.get(
    '/psam/:terminalNo/authorisation',
    {
      config: { access: 'station' },
      schema: {
        tags: ['psam'],
        summary:
          'PSAM授权状态 — the last authorisation of one of the calling station’s PSAMs; another station’s is refused',
        params: Type.Object(
          {
            terminalNo: Type.String({
              pattern: '^[0-9A-Fa-f]{12}$',
              description: 'PSAM terminal number (0016)',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            terminalNo: Type.String(),
            state: Type.Union([Type.Literal('authorised'), Type.Literal('revoked'), Type.Literal('never')]),
            psamNo: orNull(Type.String()),
            laneId: orNull(Type.String()),
            at: orNull(IsoSchema),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const peer = req.peer;
      if (peer?.role !== 'station') throw new CentreError('CTR_ERR_PSAM_WRONG_STATION', 'not a station');
      return s.psamState.stateFor(req.params.terminalNo, peer.stationId);
    },
  );
}
