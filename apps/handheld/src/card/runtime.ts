import type { JournalStore } from '../journal/idb-journal';
import type { CardDesk } from './card-desk';
import { EtcCardDesk } from './etc-desk';
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
export function createCardRuntime(ctx: CardRuntimeContext): { hub: ReaderHub; desk: CardDesk } {
  const hub = new DefaultReaderHub(ctx.stationHex);
  const psam = virtualPsam(ctx.psamTerminalNo);
  void psam().catch(() => undefined);
  const desk = new EtcCardDesk(hub, psam, ctx.journal, {
    stationHex: ctx.stationHex,
    laneNo: (laneId) => Number.parseInt((ctx.laneHex(laneId) ?? '01').slice(-2), 16) || 1,
    layout0019: '2019',
  });
  return { hub, desk };
}
