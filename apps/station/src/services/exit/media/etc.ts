import { type Fen, formatPassId, MEDIA_TYPE, SPECIAL } from '@tollpad/domain';
import type { CardRead, ObuRead } from '@tollpad/station-api';
import type { ExitMedium, ExitTypes } from '../exit-parts';
import { type CardFacts, type CheckOptions, checkCard, decodeCard } from './etc-checks';

/** read_json of an ETC exit: what 【读卡】 sent, the decoded card, and the OBU when it was read. */
export interface EtcRead {
  input: CardRead;
  card: CardFacts;
  obu: ObuRead | null;
}

/** The `etc` medium: an ETC card, in its OBU or alone (ETC单卡). */
export function etcMedium<T extends ExitTypes & { input: CardRead; read: EtcRead }>(
  opts: CheckOptions,
): ExitMedium<T> {
  return {
    id: 'etc',

    open(input, { lists, now }) {
      const card = decodeCard(input, opts.layout0019);
      const checks = checkCard(card, input.obu, lists, now, opts);
      return { mediumNo: card.cardId, read: { input, card, obu: input.obu ?? null }, checks };
    },

    plateSpecials({ card, obu }, actual) {
      const codes = new Set<number>();
      // [I] The typed plate against the entry plate (0019) is 52; against the card's own plate (0015) it is
      // also treated as 52 (the card plate is what entry recorded); against the OBU's plate it is 41.
      const entry = card.entry;
      if (
        entry?.plate &&
        (entry.plate !== actual.plate || (entry.plateColour !== null && entry.plateColour !== actual.colour))
      ) {
        codes.add(SPECIAL.ENTRY_EXIT_PLATE);
      }
      if (card.plate !== actual.plate || (card.plateColour !== null && card.plateColour !== actual.colour)) {
        codes.add(SPECIAL.ENTRY_EXIT_PLATE);
      }
      if (obu?.plate !== undefined && obu.plate !== null && obu.plate !== actual.plate) {
        codes.add(SPECIAL.CARD_OBU_PLATE);
      }
      return [...codes].sort((a, b) => a - b);
    },

    feeFacts({ card, obu }) {
      const ef04 = obu?.ef04;
      return {
        card: {
          userType: card.userType,
          entry: card.entry
            ? {
                station: card.entry.stationHex,
                time: new Date(card.entry.time),
                vehicleClass: card.entry.vehicleClass ?? 0,
              }
            : null,
          ...(card.entry?.cumulativeAmount != null
            ? { accumulatedAmount: card.entry.cumulativeAmount as Fen }
            : {}),
        },
        obu:
          obu && ef04
            ? {
                ef04: ef04.status,
                removed: obu.removed,
                totalAmount: ef04.totalAmount as Fen,
                totalDiscountAmount: ef04.totalDiscountAmount as Fen,
                provinceCount: ef04.provinceCount,
              }
            : null,
      };
    },

    passId({ card }, laneId, now) {
      return card.entry
        ? formatPassId({
            media: 'card',
            cardNetwork: card.cardNet,
            cardNo: card.cardId.slice(4),
            entryTime: new Date(card.entry.time),
          })
        : formatPassId({ media: 'none', exitLaneId: laneId, exitTime: now });
    },

    recordFields({ card, obu }) {
      const entry = card.entry;
      return {
        ...(entry ? { enTollStationHex: entry.stationHex, enTime: entry.time } : {}),
        mediaType: MEDIA_TYPE.OBU,
        // [I] card inserted in an OBU = 双片式 (2); the card alone (ETC单卡) is recorded as 1.
        obuSign: obu ? 2 : 1,
        ...(obu && /^[0-9A-F]{16}$/.test(obu.obuId) ? { obuId: obu.obuId } : {}),
        cardId: card.cardId,
        cardNet: card.cardNet,
        etcCardType: card.cardKind === 'account' ? 2 : 1,
        plate: card.plate,
        plateColour: card.plateColour,
        vehicleSign: entry?.vehicleStatusFlag ?? 0xff,
        axleCount: entry?.axles ?? 0,
        ...(entry?.axles != null ? { enAxleCount: entry.axles } : {}),
        ...(entry?.cumulativeAmount != null ? { cardTotalAmount: entry.cumulativeAmount as Fen } : {}),
        ...(obu?.ef04
          ? {
              obuTotalAmount: obu.ef04.totalAmount as Fen,
              obuTotalDiscountAmount: obu.ef04.totalDiscountAmount as Fen,
            }
          : {}),
        provinceCount: obu?.ef04?.provinceCount ?? 1,
        noCardCount: 0,
      };
    },
  };
}
