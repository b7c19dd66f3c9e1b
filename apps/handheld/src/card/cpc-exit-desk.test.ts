import { hexToBytes, PsamDriver } from '@tollpad/card';
import {
  CPC_WORKED_EXAMPLE_HEX,
  type CpcDamage,
  VirtualCpc,
  VirtualPsam,
  VirtualReader,
} from '@tollpad/card/sim';
import { describe, expect, it } from 'vitest';
import { CpcExitDesk } from './cpc-exit-desk';
import type { ReaderHub } from './reader-hub-types';
import { TrainingReader } from './training-reader';

const PSAM_NO = '0151000119F8'; // TEST PSAM terminal number

/** TEST CPC: cpc-card.md §9's worked example (甘A12345, two provinces). */
function testCpc(damaged: CpcDamage | false = false): VirtualCpc {
  const bytes = (h: string) => hexToBytes(h.replace(/\s/g, ''));
  const H = CPC_WORKED_EXAMPLE_HEX;
  return new VirtualCpc(
    {
      sysInfo: bytes(H.sysInfo),
      baseInfo: bytes(H.baseInfo),
      entry: bytes(H.entry),
      pass: bytes(H.pass),
      feeBlocks: bytes(H.feeBlocks),
    },
    { damaged },
  );
}

function rig(cpc = testCpc()) {
  const reader = new TrainingReader(
    () => undefined,
    () => undefined,
  );
  reader.insert(cpc);
  const hub = { reader: () => reader, status: () => ({ choice: 'simulated' }) } as unknown as ReaderHub;
  const slot = new VirtualReader('psam');
  slot.insert(new VirtualPsam({ terminalId: hexToBytes(PSAM_NO) }));
  const psam = new PsamDriver(slot);
  const opened = psam.open().then(() => psam);
  const desk = new CpcExitDesk(hub, () => opened, { shortWait: { attempts: 2, intervalMs: 5 } });
  return { cpc, reader, desk };
}

const flags = (cpc: VirtualCpc) => Array.from(cpc.file('entry').subarray(23, 25));

describe('CpcExitDesk over @tollpad/card', () => {
  it('reads the five files: raw hex for the station, the decoded card for the panel', async () => {
    const { desk } = rig();
    const read = await desk.read();
    expect(read.payload.sysInfo).toHaveLength(60);
    expect(read.payload.feeBlocks).toHaveLength(2 * 23 * 2);
    expect(read.summary).toMatchObject({
      cpcId: '6201012345678901',
      entry: { station: '61010203', lane: 3, plate: '甘A12345', vehicleClass: 1 },
      provinceCount: 2,
      feeSum: 0x001194 + 0x0009e2,
      gantries: ['700021', '700033', '700045'],
      batteryPercent: 80,
      batteryLow: false,
      radioOn: true,
    });
    expect(read.summary.blocks.map((b) => b.province)).toEqual([0x61, 0x62]);
  });

  it('closes the card it read: exit flags 02 02 written and read back', async () => {
    const { cpc, desk } = rig();
    await desk.read();
    expect(flags(cpc)).toEqual([0x01, 0x01]);
    await expect(desk.close('6201012345678901')).resolves.toEqual({ outcome: 'written' });
    expect(flags(cpc)).toEqual([0x02, 0x02]);
  });

  it('after a reload (no read kept) reads the card again before writing it', async () => {
    const first = rig();
    const { cpc } = first;
    const again = rig(cpc);
    await expect(again.desk.close('6201012345678901')).resolves.toEqual({ outcome: 'written' });
    expect(flags(cpc)).toEqual([0x02, 0x02]);
  });

  it('the card gone and not back: not-written with the reason, never a throw', async () => {
    const { cpc, reader, desk } = rig();
    await desk.read();
    reader.remove();
    const r = await desk.close('6201012345678901');
    expect(r.outcome).toBe('not-written');
    // The card layer's code, as the commit's typed cardError.
    expect(r).toMatchObject({ cardError: expect.stringMatching(/^CARD_(ABSENT|NOT_RETURNED|IO)$/) });
    expect(flags(cpc)).toEqual([0x01, 0x01]);
  });

  it('another card in the field at the write: not-written, cardError WRONG_CARD', async () => {
    const { cpc, reader, desk } = rig();
    await desk.read();
    const H = CPC_WORKED_EXAMPLE_HEX;
    const bytes = (h: string) => hexToBytes(h.replace(/\s/g, ''));
    const sysInfo = bytes(H.sysInfo);
    sysInfo[15] = 0x99; // another TEST CPC ID
    const other = new VirtualCpc({
      sysInfo,
      baseInfo: bytes(H.baseInfo),
      entry: bytes(H.entry),
      pass: bytes(H.pass),
      feeBlocks: bytes(H.feeBlocks),
    });
    reader.remove();
    reader.insert(other);
    const r = await desk.close('6201012345678901');
    expect(r).toMatchObject({ outcome: 'not-written', cardError: 'WRONG_CARD' });
    expect(flags(cpc)).toEqual([0x01, 0x01]);
    expect(flags(other)).toEqual([0x01, 0x01]);
  });

  it('a damaged card: the card layer’s typed error in Chinese, nothing sent on', async () => {
    const { desk } = rig(testCpc('error'));
    const err = await desk.read().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: expect.stringMatching(/^CARD_/) });
    expect((err as Error).message).toMatch(/[\u4e00-\u9fff]/);
    expect((err as { action: string }).action).toContain('按坏卡处理');
  });
});
