import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { CPC_PSAM_KEY_ENTRY_EXIT, VirtualPsam } from './virtual-psam';

// cpc-card.md §9 (TEST data, UK1_rootkey, mode 2).
const DELIVER_MODE2 = '801A484410 6201012345678901 B8CACBE0B8CACBE0';
const ENCRYPT = '80FA000010 3A5C7E9102468ACE 0000000000000000';
const E = '6319EBD1DF53AAAD97F17AAB5FB5F7A1';

function psam(): VirtualPsam {
  const p = new VirtualPsam({ terminalId: hexToBytes('0151000119F8') });
  p.powerOn();
  return p;
}

const send = (p: VirtualPsam, hex: string) => bytesToHex(p.transmit(hexToBytes(hex.replace(/\s+/g, ''))));

describe('virtual PSAM: CPC external authentication (cpc-card.md §3, §9)', () => {
  it('801A mode 2 then 80FA gives §9 E', () => {
    const p = psam();
    expect(send(p, '00A4000002DF01')).toBe('9000');
    expect(send(p, DELIVER_MODE2)).toBe('9000');
    expect(send(p, ENCRYPT)).toBe(`${E}9000`);
    // The derived key serves further challenges until the next 801A, SELECT or power-off.
    expect(send(p, ENCRYPT)).toBe(`${E}9000`);
  });

  it('801A mode 1 (Lc 08, CPC ID only) derives another key', () => {
    const p = psam();
    send(p, '00A4000002DF01');
    expect(send(p, '801A484408 6201012345678901')).toBe('9000');
    const e1 = send(p, ENCRYPT);
    expect(e1.slice(-4)).toBe('9000');
    expect(e1).not.toBe(`${E}9000`);
    // Mode 1 under the §9 level-1 key as root is §9's card key.
    const q = new VirtualPsam({
      terminalId: hexToBytes('0151000119F8'),
      cpcRootKeys: (k) =>
        k === CPC_PSAM_KEY_ENTRY_EXIT ? hexToBytes('EFA7D2596FCA815D548423ADE44ABEB7') : undefined,
    });
    q.powerOn();
    send(q, '00A4000002DF01');
    expect(send(q, '801A484408 6201012345678901')).toBe('9000');
    expect(send(q, ENCRYPT)).toBe(`${E}9000`);
  });

  it('status words for a wrong sequence or a wrong shape', () => {
    const p = psam();
    expect(send(p, DELIVER_MODE2)).toBe('6985'); // DF01 not selected
    expect(send(p, ENCRYPT)).toBe('6985'); // no key derived
    send(p, '00A4000002DF01');
    expect(send(p, '801A48440C 6201012345678901B8CACBE0')).toBe('6700'); // neither 8 nor 16 B
    expect(send(p, '801A484510 6201012345678901 B8CACBE0B8CACBE0')).toBe('6A88'); // UK2: not configured
    expect(send(p, DELIVER_MODE2)).toBe('9000');
    expect(send(p, '80FA000008 3A5C7E9102468ACE')).toBe('6700'); // not whole SM4 blocks
    expect(send(p, '80FA010010 3A5C7E9102468ACE0000000000000000')).toBe('6A86');
    expect(send(p, '00A4000002DF01')).toBe('9000'); // SELECT drops the derived key
    expect(send(p, ENCRYPT)).toBe('6985');
    send(p, DELIVER_MODE2);
    p.powerOff();
    p.powerOn();
    send(p, '00A4000002DF01');
    expect(send(p, ENCRYPT)).toBe('6985'); // power-off drops it too
  });
});
