import type { Fen } from '@tollpad/domain';
import { lookupMinFee } from '@tollpad/tariff';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centreOnlineFee, fixedOnlineFee, type OnlineFeeSource } from '../ports/centre-online-fee';
import { type Harness, startHarness } from '../testing/harness';
import { collectorHandheld } from '../testing/plain-vehicle';
import { type Json, TEST_PNG, type VehicleSpec } from '../testing/sim-handheld';
import { testCpcRead } from '../testing/test-cpc';
import { DIALECTS } from '../testing/test-db';
import { configureWorld, TEST_WORLD, testReference } from '../testing/world';

const min = (() => {
  const r = lookupMinFee(testReference().tariff.tables, TEST_WORLD.entryStationHex, TEST_WORLD.stationId, 1);
  if (!r.ok || !r.value.reachable) throw new Error('TEST tariff');
  return r.value;
})();

/** A stand-in for the centre's POST /online-fee (TEST), checking the bearer token and the PassID. */
async function fakeCentre(answer: (body: Json) => Json) {
  const seen: Json[] = [];
  const app = Fastify();
  app.post('/online-fee', async (req, reply) => {
    if (req.headers.authorization !== 'Bearer centre-token-TEST')
      return reply.status(401).send({ code: 'CTR_ERR_AUTH_REQUIRED' });
    seen.push(req.body as Json);
    return answer(req.body as Json);
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, seen, close: () => app.close() };
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: online fee through the centre port`, () => {
    const harnesses: Harness[] = [];
    let serial = 7000;
    const start = async (onlineFee: OnlineFeeSource) => {
      const h = await startHarness(dialect, { onlineFeeTimeoutMs: 150 }, { onlineFeeSource: onlineFee });
      harnesses.push(h);
      await configureWorld(h);
      return {
        h,
        hh: collectorHandheld(h),
      };
    };
    const outOfBand = (h: Harness): VehicleSpec => ({
      serial: serial++,
      plate: '京A12345',
      colour: 0,
      vehicleClass: 1,
      cardType: 'account',
      balance: 0,
      entryStationHex: TEST_WORLD.entryStationHex,
      entryTime: new Date(h.clock.now.getTime() - 3600_000),
      obuDiscountTotal: min.fee95 * 3,
    });
    let centre: Awaited<ReturnType<typeof fakeCentre>> | undefined;
    beforeAll(async () => {
      centre = await fakeCentre(() => ({
        ok: true,
        level: 'province',
        exitFeeType: 4,
        fee: Math.round(min.fee * 1.2),
        fee95: Math.round(min.fee95 * 1.2),
        mileageM: min.mileageM,
      }));
    });
    afterAll(async () => {
      for (const h of harnesses) await h.close();
      await centre?.close();
    });

    it('charges the centre’s online fee (exitFeeType 4) and sends the PassID', async () => {
      const { h, hh } = await start(centreOnlineFee(centre!.url, 'centre-token-TEST'));
      const r = await hh.runExit(outOfBand(h));
      expect(r.record.exitFeeType).toBe(4);
      expect(r.fee).toBe(Math.round(min.fee95 * 1.2));
      expect(centre!.seen.at(-1)).toMatchObject({ passId: r.record.passId, vehicleClass: 1 });
    });

    it('asks the online fee of a CPC whose card amount cannot be used by the plate the collector confirmed', async () => {
      const { h } = await start(centreOnlineFee(centre!.url, 'centre-token-TEST'));
      const call = (url: string, body: unknown) => h.call('POST', url, { token: h.tokens.collector, body });
      const img = await h.call('POST', '/images', {
        token: h.tokens.collector,
        body: TEST_PNG,
        headers: { 'content-type': 'image/png' },
      });
      const now = h.clock.now.getTime();
      // The card names 鲁A12345 and a fee three times the minimum (above the band): not usable.
      const cpc = testCpcRead({
        cpcId: '3700FFFF00007001',
        entryTime: new Date(now - 2 * 3600_000),
        gantries: [{ hex: '000001', time: new Date(now - 3600_000), fee: min.fee * 3 }],
      });
      const created = await call('/exits', { laneId: TEST_WORLD.laneId, cpc });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      const photo = img.json().sha256 as string;
      const imaged = await call(`/exits/${id}/image`, {
        plate: '鲁B54321',
        plateColour: 0,
        photoSha256: photo,
      });
      expect(imaged.statusCode, imaged.body).toBe(200);
      const priced = await call(`/exits/${id}/fee`, { vehicleClass: 1, vehicleKind: 0 });
      expect(priced.statusCode, priced.body).toBe(200);
      expect(centre!.seen.at(-1)).toMatchObject({ plate: '鲁B54321', vehicleClass: 1 });
      expect((priced.json().fee as Json).exitFeeType).toBe(4);
    });

    it('falls back to the minimum fee when the centre does not answer within the timeout', async () => {
      const hanging = fixedOnlineFee(() => new Promise(() => {}));
      const { h, hh } = await start(hanging);
      const r = await hh.runExit(outOfBand(h), {
        afterFee: async (priced) => {
          expect((priced.fee as Json).exitFeeType).toBe(6);
          expect((priced.authorisation as Json).status).toBe('required');
          await h.call('POST', `/exits/${priced.id}/authorisation`, {
            token: h.tokens.monitor,
            body: { approve: true, reason: '在线计费超时，按最小费额' },
          });
        },
      });
      expect(r.fee).toBe(min.fee95 as Fen);
      expect(r.record.specialType as string).toMatch(/(^|\|)61(\||$)/);
    });

    it('treats an unreachable centre like a failure (no hang, no crash)', async () => {
      const { h, hh } = await start(centreOnlineFee('http://127.0.0.1:9', 'x'));
      const v = outOfBand(h);
      await expect(
        hh.runExit(v, {
          afterFee: async (priced) => {
            expect((priced.fee as Json).exitFeeType).toBe(6);
            throw new Error('stop here');
          },
        }),
      ).rejects.toThrow('stop here');
    });
  });
}
