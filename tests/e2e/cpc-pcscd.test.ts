import {
  bytesToHex,
  CpcExit,
  CpcUnreadableError,
  decodeCpcFiles,
  hexToBytes,
  PsamDriver,
  pollingWaiter,
} from '@tollpad/card';
import {
  openRealPcscd,
  PCSC_LOCK_WAIT_MS,
  type RealPcscd,
  until,
  VPCD_DEFAULT_PORT,
  VpcdCardServer,
} from '@tollpad/card/node';
import { cpcFilesAsRead, trainingCpcSpec, VirtualCpc, VirtualPsam } from '@tollpad/card/sim';
import { createTestDatabase, type TestDatabase } from '@tollpad/server-kit';
import type {
  CommitResult,
  CpcRead,
  DebitIntentResult,
  ExitTransaction,
  Shift,
  ShiftReport,
  StoredImage,
} from '@tollpad/station-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimHandheld } from '../../scripts/sim/handheld';
import { api } from '../../scripts/sim/http';
import type { RunningSystem } from '../../scripts/sim/processes';
import { testPng } from '../../scripts/sim/test-png';
import { postPassages } from '../../scripts/sim/trip';
import { planCpcTrip } from '../../scripts/sim/trip-cpc';
import { centreNetwork, DEMO, demoHandheld, startTestSystem, token } from './world';

/**
 * The whole CPC exit through the real PC/SC stack (issue 20 "Must show"): the training CPC written along its
 * planned trip by the synthetic entry and gantries sits on vpcd's first reader and the demo handheld's TEST PSAM
 * (authorised by the centre) on its second, both behind the real pcscd. The card layer's CpcExit reads the five
 * files over PC/SC, the station prices them (SQLite and PostgreSQL), the collector confirms the cash, CpcExit
 * writes the exit through pcscd and reads 02 02 back, the commit makes the CPC record and the shift counts the
 * card. Like the card package's PC/SC tests this FAILS, it does not skip, when pcscd or vpcd is missing.
 */

let pcsc: RealPcscd;
let cardVpcd: VpcdCardServer | undefined;
let psamVpcd: VpcdCardServer | undefined;

/** Pulls whatever card is in vpcd's first reader and puts `card` in (vpcd's re-insertion pause included). */
async function putCard(card: VirtualCpc): Promise<void> {
  if (cardVpcd) {
    cardVpcd.remove();
    await until(() => !pcsc.cardReader.isCardPresent(), 'card absent');
    cardVpcd.setCard(card);
  } else {
    cardVpcd = new VpcdCardServer(card);
  }
  await cardVpcd.insert();
  await until(() => pcsc.cardReader.isCardPresent(), 'card present');
}

/** The handheld's start of shift for the PSAM on the real reader: GET CHALLENGE → centre → EXTERNAL AUTHENTICATE. */
async function openPsam(sys: RunningSystem): Promise<PsamDriver> {
  const psam = new VirtualPsam({ terminalId: hexToBytes(DEMO.psamTerminalNo), requireAuthorisation: true });
  if (psamVpcd) {
    psamVpcd.remove();
    await until(() => !pcsc.psamReader.isCardPresent(), 'PSAM absent');
    psamVpcd.setCard(psam);
  } else {
    psamVpcd = new VpcdCardServer(psam, { port: VPCD_DEFAULT_PORT + 1 });
  }
  await psamVpcd.insert();
  await until(() => pcsc.psamReader.isCardPresent(), 'PSAM present');
  const driver = new PsamDriver(pcsc.psamReader, {
    authoriser: {
      authorise: async (req) => {
        const r = await api<{ apdu: string }>(sys.centreUrl, 'POST', '/psam/auth', {
          body: {
            laneId: sys.laneId,
            terminalNo: req.terminalId,
            psamNo: req.psamSerial,
            version: req.version,
            keyType: req.keyType,
            random: req.challenge.slice(0, 8),
          },
        });
        return hexToBytes(r.apdu);
      },
    },
  });
  await driver.open();
  return driver;
}

beforeAll(async () => {
  pcsc = await openRealPcscd();
}, PCSC_LOCK_WAIT_MS + 60_000);

afterAll(async () => {
  cardVpcd?.remove();
  psamVpcd?.remove();
  await pcsc?.close();
});

describe.each(['sqlite', 'postgres'] as const)(
  'e2e: a training CPC through the real pcscd + vpcd and the station on %s',
  (engine) => {
    let sys: RunningSystem & { cleanup(): Promise<void> };
    let pgDb: TestDatabase | undefined;

    beforeAll(async () => {
      if (engine === 'postgres') pgDb = await createTestDatabase('postgres', 'e2e');
      sys = await startTestSystem(
        pgDb?.databaseUrl ? { stationEnv: { DATABASE_URL: pgDb.databaseUrl } } : {},
      );
    }, 90_000);
    afterAll(async () => {
      await sys?.cleanup();
      await pgDb?.drop();
    });

    it('read over PC/SC → image → fee → cash → close through pcscd (02 02 read back) → commit → CPC record, shift stock 1', async () => {
      const spec = trainingCpcSpec('cpc-car');
      if (!spec) throw new Error('training CPC cpc-car');
      const net = await centreNetwork(sys.centreUrl);
      const trip = planCpcTrip(net, spec, { exitStationId: sys.stationId, exitTime: new Date() });
      await postPassages(sys.centreUrl, trip.plan, spec.vehicleClass);
      const cpc = new VirtualCpc(trip.images);
      await putCard(cpc);
      const hh: SimHandheld = await demoHandheld(sys, sys.laneId);
      const exit = new CpcExit({
        card: pcsc.cardReader,
        psam: await openPsam(sys),
        waiter: pollingWaiter({ attempts: 20, intervalMs: 100 }),
      });

      // 【读卡】 over PC/SC: the five files as the exit reads them.
      const files = await exit.read();
      const asRead = cpcFilesAsRead(trip.images);
      for (const name of ['sysInfo', 'baseInfo', 'entry', 'pass', 'feeBlocks'] as const)
        expect(bytesToHex(files[name]), name).toBe(bytesToHex(asRead[name]));
      const read: CpcRead = {
        sysInfo: bytesToHex(files.sysInfo),
        baseInfo: bytesToHex(files.baseInfo),
        entry: bytesToHex(files.entry),
        pass: bytesToHex(files.pass),
        feeBlocks: bytesToHex(files.feeBlocks),
      };
      const created = await hh.call<ExitTransaction>('POST', '/exits', { laneId: sys.laneId, cpc: read });
      const id = created.id;

      const photo = await api<StoredImage>(sys.stationUrl, 'POST', '/images', {
        token: hh.token,
        raw: { data: testPng(), type: 'image/png' },
      });
      await hh.call('POST', `/exits/${id}/image`, {
        plate: spec.plate,
        plateColour: spec.colour,
        photoSha256: photo.sha256,
      });
      let priced = await hh.call<ExitTransaction>('POST', `/exits/${id}/fee`, {
        vehicleClass: spec.vehicleClass,
        vehicleKind: 0,
      });
      if (priced.authorisation.status === 'required') {
        await api(sys.stationUrl, 'POST', `/exits/${id}/authorisation`, {
          token: await token(sys.stationUrl, DEMO.monitor),
          body: { approve: true, reason: '核实无误 (TEST)' },
        });
        priced = await hh.call<ExitTransaction>('GET', `/exits/${id}`);
      }
      const fee = priced.fee;
      if (!fee) throw new Error(`not priced: ${priced.state}`);
      // The card's own fee blocks, in whole yuan (round-to-nearest or down is a setting, cpc-card.md §5.3).
      const onCard = decodeCpcFiles(files).blocks.reduce((sum, b) => sum + b.fee, 0);
      expect(fee.exitFeeType).toBe(3);
      expect([Math.floor(onCard / 100) * 100, Math.round(onCard / 100) * 100]).toContain(fee.fee);

      // Cash the collector confirms, then the exit write through pcscd, verified by the read-back.
      const intent = await hh.call<DebitIntentResult>('POST', `/exits/${id}/debit-intent`, {
        payment: 'cash',
        amount: fee.fee,
      });
      expect(bytesToHex(cpc.file('entry').subarray(23, 25))).toBe('0101');
      const closed = await exit.close();
      expect(closed).toMatchObject({
        outcome: 'written',
        reason: null,
        attempts: 1,
        verified: true,
        cpcId: spec.cpcId,
      });
      expect(cpc.writes).toEqual([{ file: 'entry', offset: 23, data: '0202' }]);
      expect(bytesToHex(cpc.file('entry').subarray(23, 25))).toBe('0202');

      const committed = await hh.call<CommitResult>('POST', `/exits/${id}/commit`, {
        tradeId: intent.tradeId,
        cardWrite: closed.outcome,
      });
      expect(committed.record).toMatchObject({
        mediaType: 2,
        mediaNo: spec.cpcId,
        passId: trip.plan.passId,
        exitFeeType: 3,
        fee: fee.fee,
      });

      const shift = await hh.call<Shift>('GET', '/shifts/current');
      const report = await hh.call<ShiftReport>('GET', `/shifts/${shift.id}/report`);
      expect(report.cpcStock).toEqual({ collected: 1, writeFailed: 0, lowBattery: 0 });

      // A damaged CPC (the training cpc-damaged) answers 6F00 through PC/SC: one CPC code with the status word.
      const bad = trainingCpcSpec('cpc-damaged');
      if (!bad?.faults?.damaged) throw new Error('training CPC cpc-damaged');
      const badTrip = planCpcTrip(net, bad, { exitStationId: sys.stationId, exitTime: new Date() });
      const damaged = new VirtualCpc(badTrip.images, { damaged: bad.faults.damaged });
      await putCard(damaged);
      const badRead = await new CpcExit({
        card: pcsc.cardReader,
        psam: await openPsam(sys),
        waiter: pollingWaiter({ attempts: 1, intervalMs: 0 }),
      })
        .read()
        .catch((x: unknown) => x);
      expect(badRead).toBeInstanceOf(CpcUnreadableError);
      expect(badRead).toMatchObject({
        code: 'CPC_UNREADABLE',
        sw: '6F00',
        messageZh: 'CPC卡无法读取（状态码6F00），请按坏卡处理（转无卡流程）',
      });
      expect(damaged.writes).toEqual([]);
    }, 120_000);
  },
);
