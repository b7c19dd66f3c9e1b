import type { JournalStore } from '../journal/idb-journal';
import type { CardDesk } from './card-desk';
import type { CpcDesk } from './cpc-desk';
import { CpcExitDesk } from './cpc-exit-desk';
import { EtcCardDesk } from './etc-desk';
import { EtcPayCardDesk } from './etc-pay-card-desk';
import type { PayCardDesk } from './pay-card-desk';
import { virtualPsam } from './psam';
import { DefaultReaderHub } from './reader-hub';
import type { ReaderHub } from './reader-hub-types';

export interface CardRuntimeContext {
  stationHex(): string | null;
  laneHex(laneId: string): string | null;
  journal: JournalStore;
  psamTerminalNo?: string;
}

/**
 * The card layer (readers, PSAM, purchase) — loaded after the first screen is on (its own chunk), so
 * the home screen does not wait for the card crypto. The PSAM is opened at once (start of shift).
 */
export function createCardRuntime(ctx: CardRuntimeContext): {
  hub: ReaderHub;
  desk: CardDesk;
  cpc: CpcDesk;
  payCard: PayCardDesk;
} {
  const hub = new DefaultReaderHub(ctx.stationHex);
  const psam = virtualPsam(ctx.psamTerminalNo);
  void psam().catch(() => undefined);
  const desk = new EtcCardDesk(hub, psam, ctx.journal, {
    stationHex: ctx.stationHex,
    laneNo: (laneId) => Number.parseInt((ctx.laneHex(laneId) ?? '01').slice(-2), 16) || 1,
    layout0019: '2019',
  });
  // [P] "Card times": the CPC's seconds are UTC unless the province says Beijing wall clock.
  const cpc = new CpcExitDesk(hub, psam, { timeBase: 'utc' });
  // The driver's ETC card as payment card (a CPC trip paid by it): same reader, same PSAM.
  const payCard = new EtcPayCardDesk(hub, psam, '2019');
  return { hub, desk, cpc, payCard };
}
