import {
  bytesToHex,
  CardError,
  CpcExit,
  type CpcFiles,
  type CpcTimeBase,
  decodeCpcFiles,
  type PsamDriver,
  pollingWaiter,
} from '@tollpad/card';
import { CPC_CLOSE_CARD_ERRORS, type CpcCloseCardError } from '@tollpad/station-api';
import { HandheldError, handheldError } from '../errors';
import type { CpcDesk, CpcRead, CpcWriteOutcome } from './cpc-desk';
import { cpcSummaryOf } from './cpc-summary';
import type { ReaderHub } from './reader-hub-types';

export interface CpcDeskContext {
  /** "Card times" (cpc-card.md): the base of the CPC's UNIX seconds, a setting; UTC by default. */
  timeBase?: CpcTimeBase;
  /** How long a write waits for a pulled card before giving up as not-written (default 40 × 250 ms). */
  shortWait?: { attempts: number; intervalMs: number };
}

/** How long the exit write waits for a pulled card. [P] */
const SHORT_WAIT = { attempts: 40, intervalMs: 250 };

/** What the collector does after a card-layer failure of the CPC read: the card's own message says most. */
const READ_ACTION = '请重新【读卡】；仍失败请按坏卡处理：收回CPC卡，转无卡/坏卡流程';

function payloadOf(f: CpcFiles): CpcRead['payload'] {
  return {
    sysInfo: bytesToHex(f.sysInfo),
    baseInfo: bytesToHex(f.baseInfo),
    entry: bytesToHex(f.entry),
    pass: bytesToHex(f.pass),
    feeBlocks: bytesToHex(f.feeBlocks),
  };
}

/** A card-layer error as the collector sees it: the card catalogue's code and Chinese message. */
function toHandheld(e: unknown): unknown {
  if (e instanceof CardError)
    return new HandheldError(`CARD_${e.code}`, e.messageZh, READ_ACTION, { cause: e });
  return e;
}

function isCloseCardError(code: string): code is CpcCloseCardError {
  return (CPC_CLOSE_CARD_ERRORS as readonly string[]).includes(code);
}

/** The handheld's own codes for what is a card-layer failure underneath (the commit names the card's code). */
const HANDHELD_CARD_CODES: Readonly<Record<string, string>> = {
  HH_ERR_WRONG_CARD: 'WRONG_CARD',
  HH_ERR_CARD_ABSENT: 'CARD_ABSENT',
  HH_ERR_CARD_IO: 'CARD_IO',
};

/** The card layer's code of a failed close, when the commit's `cardError` can carry it. */
function closeCardError(e: unknown): CpcCloseCardError | undefined {
  let code: string | undefined;
  if (e instanceof CardError) code = e.code;
  else if (e instanceof HandheldError)
    code = HANDHELD_CARD_CODES[e.code] ?? (e.code.startsWith('CARD_') ? e.code.slice(5) : undefined);
  return code !== undefined && isCloseCardError(code) ? code : undefined;
}

/** CpcDesk over @tollpad/card's CpcExit, the active reader and the PSAM. */
export class CpcExitDesk implements CpcDesk {
  /** The exit of the last read: close() writes the card that read saw. */
  private exit: CpcExit | null = null;

  constructor(
    private readonly hub: ReaderHub,
    private readonly psam: () => Promise<PsamDriver>,
    private readonly ctx: CpcDeskContext = {},
  ) {}

  private async newExit(): Promise<CpcExit> {
    return new CpcExit({
      card: this.hub.reader(),
      psam: await this.psam(),
      waiter: pollingWaiter(this.ctx.shortWait ?? SHORT_WAIT),
    });
  }

  async read(): Promise<CpcRead> {
    const reader = this.hub.reader();
    if (!reader.isCardPresent()) throw handheldError('HH_ERR_CARD_ABSENT');
    this.exit = null;
    try {
      const exit = await this.newExit();
      const files = await exit.read();
      const card = decodeCpcFiles(files, { timeBase: this.ctx.timeBase ?? 'utc' });
      this.exit = exit;
      return { payload: payloadOf(files), summary: cpcSummaryOf(card) };
    } catch (e) {
      throw toHandheld(e);
    }
  }

  async close(cpcId: string): Promise<CpcWriteOutcome> {
    try {
      // After a reload the read is gone: read again (close() writes only the card it read).
      if (this.exit?.lastRead && bytesToHex(this.exit.lastRead.sysInfo.subarray(8, 16)) !== cpcId) {
        this.exit = null;
      }
      if (!this.exit?.lastRead) {
        const again = await this.read();
        if (again.summary.cpcId !== cpcId) throw handheldError('HH_ERR_WRONG_CARD');
      }
      const exit = this.exit;
      if (!exit) throw handheldError('HH_ERR_INTERNAL', { detail: 'no CPC read to close' });
      const r = await exit.close();
      this.exit = null;
      if (r.outcome === 'written') return { outcome: 'written' };
      const cardError = r.reason !== null && isCloseCardError(r.reason) ? r.reason : undefined;
      return {
        outcome: 'not-written',
        reason: r.reason ?? 'not confirmed',
        ...(cardError ? { cardError } : {}),
      };
    } catch (e) {
      const h = toHandheld(e);
      const reason = h instanceof HandheldError ? `${h.code} ${h.message}` : String(e);
      const cardError = closeCardError(e) ?? closeCardError(h);
      return { outcome: 'not-written', reason: reason.slice(0, 200), ...(cardError ? { cardError } : {}) };
    }
  }
}
