import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { EF04_EXIT_OFFSET, encodeEf04ExitRegion } from '../obu/ef04-exit-region';
import { issueObu } from '../obu/issue-obu';
import { PsamWithVehicleKey } from '../obu/psam-vehicle-key-extension';
import { PsamDriver } from '../psam/psam-driver';
import { ExitPurchase } from '../purchase/exit-purchase';
import { MemoryJournal } from '../purchase/journal';
import { chargeDecision, TEST_TERMINAL_ID } from '../purchase/test-rig';
import { pollingWaiter } from '../purchase/waiting';
import { CardAbsentError, CardIoError } from '../reader/errors';
import { issueTestCard } from '../sim/test-card';
import { VirtualPsam } from '../sim/virtual-psam';
import { SimulatedReader } from '../transport/simulated-reader';
import {
  type DsrcRequest,
  decodeDsrcRequest,
  decodeDsrcResponse,
  encodeDsrcRequest,
  encodeDsrcResponse,
} from './dsrc-frames';
import { DsrcReader } from './dsrc-reader';
import { LoopbackDsrcTransport } from './dsrc-transport';
import { ObuLink } from './obu-link';

function testCard(balance = 50_000) {
  return issueTestCard({ balance, serial: 9 });
}

async function psamReader() {
  const reader = new SimulatedReader(
    new PsamWithVehicleKey(new VirtualPsam({ terminalId: hexToBytes(TEST_TERMINAL_ID) })),
    { name: 'TEST PSAM' },
  );
  const psam = new PsamDriver(reader);
  await psam.open();
  return { reader, psam };
}

describe('DSRC frames', () => {
  it('round-trip requests and responses; APDUs are length-prefixed', () => {
    const requests: DsrcRequest[] = [
      { type: 'bst', beaconId: 0x01020304, unixTime: 1_700_000_000 },
      {
        type: 'getSecure',
        keyIdForEncryptOp: 1,
        fid: 1,
        offset: 0,
        length: 59,
        randRsu: hexToBytes('0102030405060708'),
      },
      { type: 'transferChannel', channel: 1, apdus: [hexToBytes('00B095002B')] },
      { type: 'setMmi', mode: 0 },
      { type: 'release' },
    ];
    for (const r of requests) expect(decodeDsrcRequest(encodeDsrcRequest(r))).toEqual(r);
    expect(bytesToHex(encodeDsrcRequest(requests[2]!))).toBe('03010105' + '00B095002B');
    const response = {
      type: 'transferChannel' as const,
      channel: 2,
      responses: [hexToBytes('9000'), hexToBytes('0102039000')],
    };
    expect(decodeDsrcResponse(encodeDsrcResponse(response))).toEqual(response);
    expect(() => decodeDsrcRequest(hexToBytes('030102FF00'))).toThrow(/truncated/);
  });
});

describe('ObuLink against a virtual OBU', () => {
  it('VST carries system info and status bits (card absent, tampered, locked, battery)', async () => {
    const obu = issueObu({ plate: '苏A12345', colour: 0, class: 1 }, undefined, {
      tampered: true,
      batteryLow: true,
    });
    const link = new ObuLink(new LoopbackDsrcTransport(obu));
    const vst = await link.beacon();
    expect(vst.status).toMatchObject({
      cardAbsent: true,
      obuTampered: true,
      batteryLow: true,
      obuLocked: false,
    });
    expect(vst.systemInfo.tamperStatus).toBe(0);
    expect(vst.isCpc).toBe(false);
    obu.insertCard(testCard().card);
    obu.setTampered(false);
    obu.locked = true;
    expect((await link.beacon()).status).toMatchObject({
      cardAbsent: false,
      obuTampered: false,
      obuLocked: true,
    });
  });

  it.each(['legacy59', 'v79'] as const)(
    'reads %s vehicle info through GetSecure + PSAM decryption',
    async (layout) => {
      const obu = issueObu(
        { plate: '苏A12345', colour: 1, class: 12, layout, totalWeightKg: 18000 },
        undefined,
        { serial: 77 },
      );
      const link = new ObuLink(new LoopbackDsrcTransport(obu));
      const { reader } = await psamReader();
      await link.beacon();
      const info = await link.readVehicleInfo(reader, layout);
      expect(info).toMatchObject({
        layout,
        plate: '苏A12345',
        plateColour: { raw: 1 },
        vehicleClass: { raw: 12 },
      });
    },
  );

  it('a PSAM with another master key cannot decrypt the vehicle info', async () => {
    const obu = issueObu({ plate: '苏A12345', colour: 0, class: 1 }, undefined, {
      masterKey: new Uint8Array(16).fill(0x11),
    });
    const link = new ObuLink(new LoopbackDsrcTransport(obu));
    const { reader } = await psamReader();
    await expect(link.readVehicleInfo(reader)).rejects.toMatchObject({ code: 'OBU_VEHICLE_DECRYPT' });
  });

  it('writes and reads the EF04 exit region over ESAM channel 2 in ≤ 83-B chunks', async () => {
    const obu = issueObu({ plate: '苏A12345', colour: 0, class: 1 });
    const link = new ObuLink(new LoopbackDsrcTransport(obu));
    await link.beacon();
    const region = {
      ef0019Copy: '00'.repeat(39),
      ef0015Copy: {
        issuerId: 'B2E2CAD499010001',
        cardType: 0x16,
        cardVersion: 0x40,
        network: '9901',
        internalNumber: '0000000000000009',
      },
      vehicleUserType: 0,
      provinceCount: 1,
      totalReceivable: 500,
      totalCollected: 450,
      successCount: 3,
      mileageMeters: 20_000,
      noCardCount: 0,
      provinceEntry: 'ABCDEF',
      provinceReceivable: 500,
      provinceSuccessCount: 3,
      provinceCollected: 450,
      digest: '00'.repeat(8),
      provinces: [{ province: 32, amount: 450 }],
      unusedProvinceRecords: '00'.repeat(76),
    };
    await link.writeEf04ExitRegion(region);
    expect(bytesToHex(obu.esam.ef04.subarray(EF04_EXIT_OFFSET, EF04_EXIT_OFFSET + 171))).toBe(
      bytesToHex(encodeEf04ExitRegion(region)),
    );
    expect(await link.readEf04ExitRegion()).toEqual(region);
  });
});

describe('DsrcReader: the card in the OBU as a Reader', () => {
  it('reports an OBU without a card as CardAbsentError', async () => {
    const reader = new DsrcReader(
      new ObuLink(new LoopbackDsrcTransport(issueObu({ plate: '苏A12345', colour: 0, class: 1 }))),
    );
    await expect(reader.connect()).rejects.toBeInstanceOf(CardAbsentError);
  });

  it('runs the same exit purchase over TransferChannel channel 1', async () => {
    const issued = testCard();
    const obu = issueObu({ plate: '苏A12345', colour: 0, class: 1 }, issued.card);
    const reader = new DsrcReader(new ObuLink(new LoopbackDsrcTransport(obu)));
    const { psam } = await psamReader();
    const exit = new ExitPurchase({
      card: reader,
      psam,
      journal: new MemoryJournal(),
      waiter: pollingWaiter({ attempts: 2, intervalMs: 1 }),
    });
    const outcome = await exit.exit(() => chargeDecision(1234));
    expect(outcome).toMatchObject({
      cardNumber: issued.cardNumber,
      amount: 1234,
      balanceAfter: 50_000 - 1234,
      recovered: false,
    });
  });

  it('a link lost after DEBIT reached the card is recovered with GET TRANSACTION PROVE, debited once', async () => {
    const issued = testCard();
    const obu = issueObu({ plate: '苏A12345', colour: 0, class: 1 }, issued.card);
    const transport = new LoopbackDsrcTransport(obu);
    const reader = new DsrcReader(new ObuLink(transport));
    const { psam } = await psamReader();
    // DEBIT (80 54) inside a TransferChannel frame: 03 01 01 len 80 54 …
    transport.tearOn((f) => f[0] === 0x03 && f[4] === 0x80 && f[5] === 0x54, 'after');
    const exit = new ExitPurchase({
      card: reader,
      psam,
      journal: new MemoryJournal(),
      // The collector brings the handheld back in range.
      waiter: pollingWaiter({
        attempts: 5,
        sleep: async () => {
          transport.inRange = true;
          await new Promise((resolve) => setTimeout(resolve, 5));
        },
      }),
    });
    const seen: string[] = [];
    reader.on('absent', () => seen.push('absent'));
    reader.on('present', () => seen.push('present'));
    const outcome = await exit.exit(() => chargeDecision(800));
    expect(outcome.recovered).toBe(true);
    expect(outcome.balanceAfter).toBe(50_000 - 800);
    expect(issued.card.balance).toBe(50_000 - 800);
    expect(seen).toEqual(['present', 'absent', 'present']);
  });

  it('a card pulled out of the OBU mid-transaction is a CardAbsentError, a dead link a CardIoError', async () => {
    const issued = testCard();
    const obu = issueObu({ plate: '苏A12345', colour: 0, class: 1 }, issued.card);
    const transport = new LoopbackDsrcTransport(obu);
    const reader = new DsrcReader(new ObuLink(transport));
    await reader.connect();
    obu.removeCard();
    await expect(reader.transmit(hexToBytes('805C000204'))).rejects.toBeInstanceOf(CardAbsentError);
    obu.insertCard(issued.card);
    await reader.connect();
    transport.inRange = false;
    await expect(reader.transmit(hexToBytes('805C000204'))).rejects.toBeInstanceOf(CardIoError);
  });
});

describe('issueObu', () => {
  it('copies the inserted card 0015/0019 heads into the EF04 exit region', async () => {
    const issued = testCard();
    const obu = issueObu({ plate: '苏A12345', colour: 0, class: 1 }, issued.card);
    const link = new ObuLink(new LoopbackDsrcTransport(obu));
    await link.beacon();
    const region = await link.readEf04ExitRegion();
    expect(region.ef0015Copy).toMatchObject({
      issuerId: issued.ef0015.issuerId,
      internalNumber: issued.ef0015.internalNumber,
    });
    expect(region.ef0019Copy.slice(0, 6)).toBe('AA2900');
  });
});
