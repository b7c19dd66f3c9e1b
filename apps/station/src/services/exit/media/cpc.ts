import type { CpcCard } from '@tollpad/card';
import { type Fen, formatPassId, MEDIA_TYPE, SPECIAL, toIsoBeijing } from '@tollpad/domain';
import type { CpcRead } from '@tollpad/station-api';
import { StationError } from '../../../errors';
import type { ExitMedium, ExitTypes } from '../exit-parts';
import {
  type CpcCheckOptions,
  checkCpc,
  decodeCpc,
  hasLiveEntry,
  requirePlausibleCpc,
  usableEntry,
} from './cpc-checks';

/**
 * read_json of a CPC exit: the raw files as read and the card as the station decoded them (shown to the
 * handheld, with its times as ISO text), and whether the entry is one the fee may use. The parts decode
 * the raw files again where they need the card's values: the stored view is for display only.
 */
export interface CpcExitRead {
  input: CpcRead;
  /** The decoded card as stored (JSON of a CpcCard: its times are ISO text), for the handheld's card panel. */
  card: object;
  /** The entry station the tariff knows, when the entry is live; null sends 【算费】 to the stated entry. */
  usableEntry: { station: string; time: string } | null;
}

export interface CpcRepeatExitOptions {
  /**
   * [P] How long after a CPC's committed exit here a new 【读卡】 of the same CPC ID, closed or naming that
   * exit's trip, is refused as a second charge (STN_ERR_EXIT_CPC_ALREADY_EXITED). CPC_REPEAT_EXIT_WINDOW_HOURS,
   * default 24 h, configurable; 0 turns it off.
   */
  repeatExitWindowMs: number;
}

/**
 * cpc-card.md §7: 02 + 0000 + CPC ID + entry time (Beijing): the trip's identity, written at entry, so a live
 * entry names it even from a station the tariff does not know (37); null without a live entry.
 */
function livePassId(card: CpcCard): string | null {
  const entryTime = hasLiveEntry(card) ? card.entry.entryTime : null;
  return entryTime && formatPassId({ media: 'cpc', cpcId: card.sys.cpcId.toUpperCase(), entryTime });
}

/** The most axles an exit record holds (its axleCount, 0–20). */
const MAX_RECORD_AXLES = 20;

/** The `cpc` medium: a 复合通行卡, read whole at 【读卡】 (cpc-card.md §4 "Exit"). */
export function cpcMedium<T extends ExitTypes & { input: CpcRead; read: CpcExitRead }>(
  opts: CpcCheckOptions & CpcRepeatExitOptions,
): ExitMedium<T> {
  const decoded = (read: CpcExitRead): CpcCard => decodeCpc(read.input, opts);

  return {
    id: 'cpc',
    // The exit flag is written only after the cash is taken, and a failed write leaves the entry live.
    onePaymentPerPass: true,

    open(input, ctx) {
      const card = decodeCpc(input, opts);
      requirePlausibleCpc(card, ctx.network);
      const checks = checkCpc(card, ctx, opts);
      const entry = usableEntry(card, ctx.network);
      return {
        mediumNo: card.sys.cpcId.toUpperCase(),
        read: {
          input,
          card,
          usableEntry: entry ? { station: entry.station, time: entry.time.toISOString() } : null,
        },
        checks,
      };
    },

    repeatExit: {
      windowMs: opts.repeatExitWindowMs,
      refusal(read, earlier) {
        // A live entry names its trip: another trip than that exit's is a card handed out again (or a
        // training card written anew), not a second charge. A closed card names none; a card still holding
        // that exit's entry (its write failed) names the same trip.
        const trip = livePassId(decoded(read));
        if (trip !== null && trip !== earlier.passId) return null;
        return new StationError('STN_ERR_EXIT_CPC_ALREADY_EXITED', `${earlier.tradeId} ${earlier.exTime}`, {
          fill: `${toIsoBeijing(new Date(earlier.exTime)).slice(0, 19).replace('T', ' ')}（交易编号 ${earlier.tradeId}）`,
        });
      },
    },

    plateSpecials(read, actual) {
      // The entry wrote the plate the vehicle gave at entry: a different plate now is 52 (cpc-card.md §5.1).
      const card = decoded(read);
      const { entry } = card;
      if (!hasLiveEntry(card) || entry.plate === '') return [];
      const colour = entry.plateColour.code;
      return entry.plate !== actual.plate || (colour !== null && colour !== actual.colour)
        ? [SPECIAL.ENTRY_EXIT_PLATE]
        : [];
    },

    feeFacts(read) {
      const card = decoded(read);
      const entry = read.usableEntry;
      return {
        card: {
          userType: 0,
          entry: entry
            ? {
                station: entry.station,
                time: new Date(entry.time),
                // Class 0 (unknown at entry) or a code no class has: the card names no class (null).
                vehicleClass: card.entry.vehicleClass.code ?? null,
              }
            : null,
        },
        obu: null,
        cpc: {
          provinceCount: card.pass.provinceCount,
          blocks: card.blocks,
          pathGantries: card.pass.gantries,
          entryTime: entry ? new Date(entry.time) : null,
        },
      };
    },

    passId(read, _laneId, now) {
      // [P] A card without a live entry has no entry time of this trip: the exit's time stands in, so the
      // PassID still names this CPC.
      const card = decoded(read);
      return (
        livePassId(card) ??
        formatPassId({ media: 'cpc', cpcId: card.sys.cpcId.toUpperCase(), entryTime: now })
      );
    },

    recordFields(read) {
      const card = decoded(read);
      const { entry, pass, sys, base } = card;
      const live = read.usableEntry;
      const cpcId = sys.cpcId.toUpperCase();
      const cardAmount = card.blocks.reduce((sum, b) => sum + b.fee, 0);
      // Bytes 25–38 are entry data only while the entry is live (cpc-card.md §2.4: a closed card may hold a
      // lane's exit data there), and the record holds 0–20 axles: any other byte must not refuse the commit
      // after the cash was taken, so it is left out (0, as for a car).
      const axles = hasLiveEntry(card) && entry.axles <= MAX_RECORD_AXLES ? entry.axles : 0;
      return {
        ...(live ? { enTollStationHex: live.station, enTime: live.time } : {}),
        mediaType: MEDIA_TYPE.CPC,
        mediaNo: cpcId,
        plate: entry.plate,
        plateColour: entry.plateColour.code,
        vehicleSign: 0xff,
        axleCount: axles,
        ...(live && axles > 0 ? { enAxleCount: axles } : {}),
        cardTotalAmount: cardAmount as Fen,
        provinceCount: pass.provinceCount,
        noCardCount: 0,
        cpcCardId: cpcId,
        cpcElec: base.batteryPercent,
        cpcCardPlate: entry.plate,
        cpcCardColor: entry.plateColour.raw,
        cpcCardVeh: entry.vehicleClass.raw,
        // [I] TblExMtcPass names the field only: the entry's 车种 byte is the card's vehicle status here.
        cpcCardVehStatus: entry.vehicleKind,
        cpcCardEnNet: entry.network.toUpperCase(),
        cpcCardEnStation: entry.station.toUpperCase(),
        ...(entry.entryTime ? { cpcCardEnTime: entry.entryTime.toISOString() } : {}),
        cpcCardProCount: pass.provinceCount,
      };
    },
  };
}
