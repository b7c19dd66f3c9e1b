import { hexToBytes } from '../apdu/hex';
import { type CpcFileImages, VirtualCpc, type VirtualCpcOptions } from './virtual-cpc';

/**
 * TEST ONLY: cpc-card.md §9's card after its entry and two provinces' gantries (甘A12345, CPC ID
 * 6201012345678901, area 甘肃 B8CACBE0): the five files as an exit reads them. `cpcId` makes another card.
 */
export function testCpcFiles(cpcId = '6201012345678901'): CpcFileImages {
  return {
    sysInfo: hexToBytes(`B8CACBE0 00010001 ${cpcId} 01 20230101 20330101 0000000000`.replace(/\s/g, '')),
    baseInfo: hexToBytes(`5001${'00'.repeat(30)}`),
    entry: hexToBytes(
      '01 B8CA41313233343500000000 00 61010203 03 663D5C78 01 01 00 000457 02 00 00000000 000000 00'.replace(
        /\s/g,
        '',
      ),
    ),
    pass: hexToBytes(
      `02030009E2006338700021663D6AC9700045663D713600030C001E7803700021700033700045${'00'.repeat(63)}`,
    ),
    feeBlocks: hexToBytes(
      '61 02 001194 00AFC8 6C0110 663D64B8 6C012F 663D6858 00 62 03 0009E2 006338 700021 663D6AC9 700045 663D7136 00'.replace(
        /\s/g,
        '',
      ),
    ),
  };
}

/** TEST ONLY: a VirtualCpc holding `testCpcFiles`, TEST UK1 root key, mode 2. */
export function issueTestCpc(options: VirtualCpcOptions & { cpcId?: string } = {}): VirtualCpc {
  const { cpcId, ...rest } = options;
  return new VirtualCpc(testCpcFiles(cpcId), rest);
}
