/**
 * TEST rig shared by the CPC exit tests and the bench: a TEST CPC (cpc-card.md §9's card) in a virtual reader,
 * a virtual PSAM holding the TEST UK1 root key, and a waiter whose "sleep" puts the pulled card back (the
 * collector's hand) unless the test says otherwise.
 */
import { hexToBytes } from '../apdu/hex';
import { PsamDriver } from '../psam/psam-driver';
import { TEST_TERMINAL_ID } from '../purchase/test-rig';
import { pollingWaiter } from '../purchase/waiting';
import { issueTestCpc } from '../sim/test-cpc';
import type { VirtualCpc } from '../sim/virtual-cpc';
import { VirtualPsam } from '../sim/virtual-psam';
import { VirtualReader } from '../sim/virtual-reader';
import { CpcExit, type CpcExitEvent } from './cpc-exit';
import type { CpcExitConfig } from './cpc-exit-config';

export interface CpcRigOptions {
  cpc?: VirtualCpc;
  /** Called each time the waiter polls; default: put the pulled card back. */
  onPoll?: (reader: VirtualReader) => void;
  config?: Partial<CpcExitConfig>;
  onEvent?: (event: CpcExitEvent) => void;
}

export interface CpcRig {
  cpc: VirtualCpc;
  cardReader: VirtualReader;
  psamReader: VirtualReader;
  psam: PsamDriver;
  exit: CpcExit;
}

export async function makeCpcRig(o: CpcRigOptions = {}): Promise<CpcRig> {
  const cpc = o.cpc ?? issueTestCpc();
  const cardReader = new VirtualReader('cpc');
  cardReader.insert(cpc);
  const psamReader = new VirtualReader('psam');
  psamReader.insert(new VirtualPsam({ terminalId: hexToBytes(TEST_TERMINAL_ID) }));
  const psam = new PsamDriver(psamReader);
  await psam.open();
  const onPoll =
    o.onPoll ??
    ((r: VirtualReader) => {
      if (!r.isCardPresent() && r.removedCard) r.insert(r.removedCard);
    });
  const exit = new CpcExit({
    card: cardReader,
    psam,
    waiter: pollingWaiter({ attempts: 3, sleep: async () => onPoll(cardReader) }),
    ...(o.config ? { config: o.config } : {}),
    ...(o.onEvent ? { onEvent: o.onEvent } : {}),
  });
  return { cpc, cardReader, psamReader, psam, exit };
}

/** DF01/EF01 bytes 23–24 as the card holds them now, hex. */
export function exitFlagsOnCard(cpc: VirtualCpc): string {
  const entry = cpc.file('entry');
  return [entry[23], entry[24]].map((b) => (b ?? 0).toString(16).toUpperCase().padStart(2, '0')).join('');
}
