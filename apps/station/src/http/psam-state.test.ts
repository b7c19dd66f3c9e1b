import type { TerminalPsamState } from '@tollpad/station-api';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centrePsamState, type PsamStatePort } from '../ports/centre-psam-state';
import type { StationOptions } from '../station';
import { type Harness, startHarness } from '../testing/harness';
import { OTHER_TERMINAL } from '../testing/other-collector';
import { DIALECTS } from '../testing/test-db';
import { configureWorld, TEST_WORLD } from '../testing/world';

/** A third TEST handheld whose PSAM the centre has never authorised. */
const NEVER = { id: 'HH-TEST-03', psam: '015100011B00' };
/** A TEST handheld registered without a usable PSAM (unbound after registration): not asked. */
const UNBOUND = { id: 'HH-TEST-04', psam: '015100011C00' };

/**
 * A stand-in for the centre's `GET /psam/:terminalNo/authorisation` (TEST): the world's PSAM authorised,
 * the second one last authorised for another station, any other never.
 */
async function fakeCentre() {
  const asked: string[] = [];
  const app = Fastify();
  app.get<{ Params: { terminalNo: string } }>('/psam/:terminalNo/authorisation', async (req, reply) => {
    if (req.headers.authorization !== 'Bearer centre-token-TEST')
      return reply.status(401).send({ code: 'CTR_ERR_AUTH_REQUIRED' });
    const t = req.params.terminalNo;
    asked.push(t);
    if (t === TEST_WORLD.psam)
      return {
        terminalNo: t,
        state: 'authorised',
        psamNo: `9999${t}0001`,
        laneId: TEST_WORLD.laneId,
        at: '2026-11-23T07:55:00.000Z',
      };
    if (t === OTHER_TERMINAL.psam)
      return reply.status(403).send({ statusCode: 403, code: 'CTR_ERR_PSAM_WRONG_STATION', message: '…' });
    return { terminalNo: t, state: 'never', psamNo: null, laneId: null, at: null };
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, asked, close: () => app.close() };
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: 系统配置 shows each bound PSAM's authorisation at the centre`, () => {
    const harnesses: Harness[] = [];
    let centre: Awaited<ReturnType<typeof fakeCentre>>;

    const start = async (opts: Partial<StationOptions>) => {
      const h = await startHarness(dialect, {}, opts);
      harnesses.push(h);
      await configureWorld(h);
      const s = h.station.services;
      for (const t of [OTHER_TERMINAL, NEVER, UNBOUND])
        await s.config.putTerminal(
          { id: t.id, psamTerminalNo: t.psam, description: 'TEST', enabled: true },
          'test-setup',
        );
      await s.config.setTerminalPsam(UNBOUND.id, null, 'test-setup');
      return h;
    };
    const states = async (h: Harness, token = h.tokens.admin) => {
      const r = await h.call('GET', '/config/terminals/psam-states', { token });
      expect(r.statusCode).toBe(200);
      const byId = new Map((r.json() as TerminalPsamState[]).map((s) => [s.terminalId, s]));
      return byId;
    };

    beforeAll(async () => {
      centre = await fakeCentre();
    });
    afterAll(async () => {
      for (const h of harnesses) await h.close();
      await centre?.close();
    });

    it('merges the centre’s answer per handheld: authorised, another station’s, never; unbound ones not asked', async () => {
      const h = await start({ psamState: centrePsamState(centre.url, 'centre-token-TEST') });
      const byId = await states(h, h.tokens.monitor);
      expect(byId.get(TEST_WORLD.terminalId)).toEqual({
        terminalId: TEST_WORLD.terminalId,
        psamTerminalNo: TEST_WORLD.psam,
        state: 'authorised',
        psamNo: `9999${TEST_WORLD.psam}0001`,
        laneId: TEST_WORLD.laneId,
        at: '2026-11-23T07:55:00.000Z',
        reason: null,
      });
      expect(byId.get(OTHER_TERMINAL.id)).toMatchObject({
        state: 'other-station',
        psamNo: null,
        reason: 'CTR_ERR_PSAM_WRONG_STATION',
      });
      expect(byId.get(NEVER.id)).toMatchObject({ state: 'never', psamNo: null, at: null });
      expect(byId.has(UNBOUND.id)).toBe(false);
      expect(centre.asked).not.toContain(UNBOUND.psam);
    });

    it('answers unreachable, without hanging, when the centre does not answer in time', async () => {
      const hanging: PsamStatePort = () => new Promise(() => {});
      const h = await start({ psamState: hanging, psamStateTimeoutMs: 50 });
      const byId = await states(h);
      expect(byId.size).toBe(3);
      for (const s of byId.values()) {
        expect(s.state).toBe('unreachable');
        expect(s.reason).toMatch(/no answer within 50 ms/);
        expect(s.psamNo).toBeNull();
      }
    });

    it('answers unreachable when the centre is down or refuses the station', async () => {
      const down = await start({ psamState: centrePsamState('http://127.0.0.1:9', 'x') });
      expect((await states(down)).get(TEST_WORLD.terminalId)?.state).toBe('unreachable');
      const wrongToken = await start({ psamState: centrePsamState(centre.url, 'not-the-token') });
      expect((await states(wrongToken)).get(TEST_WORLD.terminalId)).toMatchObject({
        state: 'unreachable',
        reason: 'centre HTTP 401 CTR_ERR_AUTH_REQUIRED',
      });
    });

    it('says not configured without a centre, and refuses a collector', async () => {
      const h = await start({});
      expect((await states(h)).get(TEST_WORLD.terminalId)).toMatchObject({
        state: 'not-configured',
        reason: 'CENTRE_URL not set',
      });
      const r = await h.call('GET', '/config/terminals/psam-states', { token: h.tokens.collector });
      expect(r.statusCode).toBe(403);
      expect(r.json().code).toBe('STN_ERR_AUTH_FORBIDDEN');
    });
  });
}
