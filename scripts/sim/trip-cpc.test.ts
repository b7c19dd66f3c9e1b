import { bytesToHex, CpcExit, decodeCpcFiles, hexToBytes, PsamDriver, pollingWaiter } from '@tollpad/card';
import {
  cpcFilesAsRead,
  TRAINING_CPC_VEHICLES,
  trainingCpcSpec,
  VirtualCpc,
  VirtualPsam,
  VirtualReader,
} from '@tollpad/card/sim';
import {
  buildMinFeeTables,
  type CpcFeeFacts,
  classIndex,
  compileNetwork,
  decideExitFee,
  type ExitFeeDecision,
  generateProvince,
  minFeeAt,
  stationIndexOf,
} from '@tollpad/tariff';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { describeCpc, planCpcTrip, runCpcTrip } from './trip-cpc';

// The synthetic province (TEST data), exit at the 10th station of the first road.
const compiled = compileNetwork(generateProvince({}));
if (!compiled.ok) throw new Error('synthetic TEST tariff failed to compile');
const net = compiled.value;
const exitStation = net.stations[9];
if (!exitStation) throw new Error('synthetic province has stations');
const EXIT = new Date('2026-12-06T12:00:00Z');
const tables = buildMinFeeTables(net);

function trip(id: string) {
  const spec = trainingCpcSpec(id);
  if (!spec) throw new Error(id);
  return { spec, ...planCpcTrip(net, spec, { exitStationId: exitStation?.id ?? '', exitTime: EXIT }) };
}

describe('npm run trip -- cpc-…: the training CPC written along the planned path', () => {
  it('cpc-car holds the min-fee path: its card fee is the minimum fee M, its PassID the CPC one', () => {
    const { spec, plan, images } = trip('cpc-car');
    const card = decodeCpcFiles(cpcFilesAsRead(images));
    expect(plan.passId).toMatch(new RegExp(`^020000${spec.cpcId}\\d{14}$`));
    expect(card.entry.station).toBe(plan.entryStationHex);
    expect(card.pass.gantries).toEqual(plan.gantries.map((g) => g.hex));
    expect(card.blocks).toHaveLength(1);
    const m = minFeeAt(
      tables,
      stationIndexOf(net, plan.entryStationHex),
      stationIndexOf(net, exitStation?.id ?? ''),
      classIndex(spec.vehicleClass),
    );
    expect(plan.gantries.length).toBeGreaterThan(0);
    expect(m.reachable && card.blocks[0]?.fee).toBe(m.reachable ? m.fee : -1);
    expect(m.reachable && card.blocks[0]?.mileageM).toBe(m.reachable ? m.mileageM : -1);
    expect(describeCpc(images).join('\n')).toContain(spec.cpcId);
  });

  it('every training CPC but the damaged one is read and closed by the card layer’s CPC exit', async () => {
    for (const spec of TRAINING_CPC_VEHICLES) {
      const { images } = trip(spec.id);
      const reader = new VirtualReader('cpc');
      reader.insert(new VirtualCpc(images, { damaged: spec.faults?.damaged ?? false }));
      const psamReader = new VirtualReader('psam');
      psamReader.insert(new VirtualPsam({ terminalId: hexToBytes('0151000119F8') }));
      const psam = new PsamDriver(psamReader);
      await psam.open();
      const exit = new CpcExit({ card: reader, psam, waiter: pollingWaiter({ attempts: 1, intervalMs: 0 }) });
      if (spec.faults?.damaged) {
        await expect(exit.read()).rejects.toMatchObject({ code: expect.any(String) });
        continue;
      }
      const files = await exit.read();
      expect(bytesToHex(files.pass)).toBe(bytesToHex(cpcFilesAsRead(images).pass));
      expect((await exit.close()).outcome).toBe('written');
    }
  });
});

/** The station's fee for a CPC read (apps/station media/cpc.ts feeFacts): the card's entry and blocks. */
async function stationFee(
  card: ReturnType<typeof decodeCpcFiles>,
  cpc: CpcFeeFacts,
): Promise<ExitFeeDecision> {
  const entryTime = card.entry.entryTime ?? EXIT;
  const d = await decideExitFee(
    {
      card: {
        userType: 0,
        entry: {
          station: card.entry.station,
          time: entryTime,
          vehicleClass: card.entry.vehicleClass.code ?? 0,
        },
      },
      obu: null,
      cpc,
      vehicleClass: 1,
      vehicleKind: 0,
      exitStation: exitStation?.id ?? '',
      exitTime: EXIT,
      plate: card.entry.plate,
    },
    // Default policy: the border gantries come from the tariff alone. The online fee is down.
    { tables, onlineFee: async () => Promise.reject(new Error('省中心不可达')) },
  );
  if (!d.ok) throw new Error(d.error.message);
  return d.value;
}

describe('cpc-other-province: entered in the neighbour province (the tariff’s national slice)', () => {
  const { spec, plan, images } = trip('cpc-other-province');
  const card = decodeCpcFiles(cpcFilesAsRead(images));
  const other = spec.otherProvince;
  const A = card.blocks.reduce((a, b) => a + b.fee, 0);

  it('is written from the Shaanxi entry across the marked border gantries, one block per province', () => {
    expect(card.entry.station).toBe('61010203');
    expect(plan.entryStationHex).toBe('61010203');
    expect(card.blocks.map((b) => [b.province, b.entryGantry, b.latestGantry])).toEqual([
      [0x61, '6C0110', '6C012F'],
      [0x37, '3C0130', plan.gantries.at(-1)?.hex],
    ]);
    expect(net.borderGantryHex.has(card.blocks[0]?.latestGantry ?? '')).toBe(true);
    // The fixture's Shaanxi gantries (for a planner without the neighbour) are the tariff's, for class 1.
    const shaanxi = card.blocks[0];
    expect([shaanxi?.fee, shaanxi?.mileageM, shaanxi?.gantryCount]).toEqual([
      other?.gantries.reduce((a, g) => a + g.fee, 0),
      other?.gantries.reduce((a, g) => a + g.mileageM, 0),
      other?.gantries.length,
    ]);
    // Σ blocks is the whole trip's minimum fee M (61010203 → exit).
    const m = minFeeAt(
      tables,
      stationIndexOf(net, '61010203'),
      stationIndexOf(net, exitStation?.id ?? ''),
      0,
    );
    expect(m.reachable && m.fee).toBe(A);
  });

  it('is charged Σ blocks (exitFeeType 3, whole yuan), not the local path: without the Shaanxi block it is not', async () => {
    const cpc: CpcFeeFacts = {
      provinceCount: card.pass.provinceCount,
      blocks: card.blocks,
      pathGantries: card.pass.gantries,
      entryTime: card.entry.entryTime,
    };
    const d = await stationFee(card, cpc);
    expect([d.exitFeeType, d.fee, d.payFee]).toEqual([
      3,
      Math.floor(A / 100) * 100,
      Math.floor(A / 100) * 100,
    ]);
    expect(d.specialCodes).toEqual([]);
    expect(d.trace.map((t) => t.rule)).toContain('CPC.CARD_AMOUNT');
    // The local block alone undercuts M: ignoring the foreign block could not charge the card.
    const local = card.blocks.slice(1);
    const localOnly = await stationFee(card, { ...cpc, provinceCount: 1, blocks: local });
    expect(localOnly.exitFeeType).not.toBe(3);
    expect(local.reduce((a, b) => a + b.fee, 0)).toBeLessThan(A - 4000);
  });
});

describe('npm run trip -- cpc-…: the evidence of the trip at the centre (#22)', () => {
  it('posts the entry lane’s capture of the plate and a photo of every gantry passage, JPEGs, beside the passages', async () => {
    // A stand-in for the centre and the lane simulator (TEST): it keeps what the trip sends.
    const seen: { url: string; body: Record<string, unknown> }[] = [];
    const app = Fastify();
    app.post('/*', async (req) => {
      seen.push({ url: req.url, body: req.body as Record<string, unknown> });
      return { accepted: 1, duplicates: 0, id: 1, photoId: 'x' };
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const spec = trainingCpcSpec('cpc-car');
      if (!spec) throw new Error('cpc-car');
      const lines: string[] = [];
      const code = await runCpcTrip({
        spec,
        net,
        exitStationId: exitStation?.id ?? '',
        laneId: `${exitStation?.id}2010010`,
        centre: url,
        laneSim: url,
        exit: false,
        handheld: () => Promise.reject(new Error('no exit')),
        approve: () => Promise.reject(new Error('no exit')),
        say: (l) => lines.push(l),
      });
      expect(code).toBe(0);
      const passId = lines.find((l) => l.startsWith('PassID '))?.slice(7);
      const capture = seen.find((s) => s.url === '/lane-captures')?.body;
      expect(capture).toMatchObject({ plate: spec.plate, colour: spec.colour, kind: 'entry' });
      const jpeg = (b64: unknown) => Buffer.from(String(b64), 'base64').subarray(0, 2).toString('hex');
      expect(jpeg(capture?.photo)).toBe('ffd8');
      const photos = seen.filter((s) => s.url === '/gantry-photos').map((s) => s.body);
      const passages = (seen.find((s) => s.url === '/gantry-passages')?.body.passages ?? []) as unknown[];
      expect(photos.length).toBeGreaterThan(0);
      expect(photos).toHaveLength(passages.length);
      for (const p of photos) {
        expect(p.passId).toBe(passId);
        expect(jpeg(p.photo)).toBe('ffd8');
      }
      expect(lines).toContain('入口抓拍与门架照片已上传中心');
    } finally {
      await app.close();
    }
  });
});
