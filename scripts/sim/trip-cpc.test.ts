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
  classIndex,
  compileNetwork,
  generateProvince,
  minFeeAt,
  stationIndexOf,
} from '@tollpad/tariff';
import { describe, expect, it } from 'vitest';
import { describeCpc, planCpcTrip } from './trip-cpc';

// The synthetic province (TEST data), exit at the 10th station of the first road.
const compiled = compileNetwork(generateProvince({}));
if (!compiled.ok) throw new Error('synthetic TEST tariff failed to compile');
const net = compiled.value;
const exitStation = net.stations[9];
if (!exitStation) throw new Error('synthetic province has stations');
const EXIT = new Date('2026-12-06T12:00:00Z');

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
    const tables = buildMinFeeTables(net);
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
