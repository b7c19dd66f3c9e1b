import { hexToBytes } from '../apdu/hex';
import type { CpcFiles } from '../cpc/codec/cpc-files';
import { CPC_WORKED_EXAMPLE_HEX, CPC_WORKED_EXAMPLE_TRIP } from '../fixtures/cpc-worked-example';
import { VirtualCpc, type VirtualCpcOptions } from './virtual-cpc';

const bytes = (hex: string) => hexToBytes(hex.replace(/\s+/g, ''));

/**
 * TEST ONLY: cpc-card.md §9's card after its entry and two provinces' gantries, the five files as an exit
 * reads them. `cpcId` (16 hex digits) makes another card with the same trip.
 */
export function testCpcFiles(cpcId: string = CPC_WORKED_EXAMPLE_TRIP.cpcId): CpcFiles {
  const sysInfo = bytes(CPC_WORKED_EXAMPLE_HEX.sysInfo);
  sysInfo.set(hexToBytes(cpcId), 8);
  return {
    sysInfo,
    baseInfo: bytes(CPC_WORKED_EXAMPLE_HEX.baseInfo),
    entry: bytes(CPC_WORKED_EXAMPLE_HEX.entry),
    pass: bytes(CPC_WORKED_EXAMPLE_HEX.pass),
    feeBlocks: bytes(CPC_WORKED_EXAMPLE_HEX.feeBlocks),
  };
}

/** TEST ONLY: a VirtualCpc holding `testCpcFiles`, TEST UK1 root key, mode 2. */
export function issueTestCpc(options: VirtualCpcOptions & { cpcId?: string } = {}): VirtualCpc {
  const { cpcId, ...rest } = options;
  return new VirtualCpc(testCpcFiles(cpcId), rest);
}
