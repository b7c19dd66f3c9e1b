import { describeSpecial, formatPassId, MEDIA_TYPE, SPECIAL } from '@tollpad/domain';
import type { NoCardRead } from '@tollpad/station-api';
import { StationError } from '../../../errors';
import type { ExitMedium, ExitTypes, KnownNetwork } from '../exit-parts';

/**
 * read_json of a no-card exit: what 【读卡】 said (the reason, a damaged CPC's label ID, the stated entry or the
 * refusal), and the panel the handheld shows in place of a card.
 */
export interface NoneExitRead {
  input: NoCardRead;
  card: {
    reason: NoCardRead['reason'];
    reasonText: string;
    /** A damaged CPC's ID read from its label (upper-case), when legible. */
    cpcId: string | null;
    /** The stated entry as the network names it; null when none was stated or it is not on the network. */
    statedEntry: { station: string; hex: string; name: string } | null;
    /** What the driver stated, as stated (shown when the network does not know it). */
    statedAs: string | null;
    refused: boolean;
  };
}

export interface NoCardRepeatOptions {
  /**
   * [P] How long after a no-card exit of a plate here another no-card payment of that plate is refused
   * (STN_ERR_EXIT_NOCARD_REPEAT). NOCARD_REPEAT_WINDOW_HOURS, default 24 h; 0 turns it off.
   */
  noCardRepeatWindowMs: number;
}

const REASON_TEXT: Record<NoCardRead['reason'], string> = {
  'no-card': '无卡（入口未领卡）',
  lost: '丢卡',
  damaged: '坏卡',
};

/** The stated entry as the network names it (by 14-char station ID or 8-hex), or null. */
function knownEntry(stated: string | undefined, network: KnownNetwork): NoneExitRead['card']['statedEntry'] {
  if (stated === undefined) return null;
  const idx = network.nodeIndex?.get(stated) ?? network.stationByHex.get(stated.toUpperCase());
  const st = idx === undefined ? undefined : network.stations?.[idx];
  return st ? { station: st.id, hex: st.hex, name: st.name } : null;
}

/**
 * The `none` medium (cpc-card.md §5.4): no card to read. 【读卡】 names why; the fee comes from the plate, the
 * stated entry or the farthest route (the tariff's no-card stage). A damaged CPC whose label ID is legible is
 * recorded as mediaType 2 with that ID and special 35 [P]; otherwise mediaType 9.
 */
export function noneMedium<T extends ExitTypes & { input: NoCardRead; read: NoneExitRead }>(
  opts: NoCardRepeatOptions,
): ExitMedium<T> {
  return {
    id: 'none',
    // Nothing on any card refuses a second payment: the station holds one per PassID, and one per plate in
    // the repeat window (repeatByPlate).
    onePaymentPerPass: true,
    passIdByExitTime: true,
    repeatByPlate: { windowMs: opts.noCardRepeatWindowMs },

    open(input, ctx) {
      if (input.cpcId !== undefined && input.reason !== 'damaged')
        throw new StationError('STN_ERR_EXIT_NOCARD_INVALID', 'cpcId is only for a damaged CPC');
      if (input.refused === true && input.statedEntry !== undefined)
        throw new StationError('STN_ERR_EXIT_NOCARD_INVALID', 'refused and a stated entry');
      const cpcId = input.cpcId?.toUpperCase() ?? null;
      const special = input.reason === 'damaged' ? SPECIAL.CPC_DAMAGED : SPECIAL.CPC_MISSING;
      const statedEntry = knownEntry(input.statedEntry, ctx.network);
      const actions = [
        input.reason === 'no-card'
          ? '无卡车辆：按车牌在线计费，查不到时按司机所述入口或最远路径计费'
          : `${REASON_TEXT[input.reason]}：另收CPC卡成本${input.reason === 'damaged' ? '，收回坏卡单独存放' : ''}`,
      ];
      if (input.statedEntry !== undefined && !statedEntry)
        actions.push(
          `所述入口站 ${input.statedEntry} 不在本路网：将按最远路径计费，可在【算费】前重新选择入口站`,
        );
      actions.push('请输入实际车牌、选择车牌颜色并拍照，然后【提交图片数据】');
      return {
        mediumNo: cpcId ?? '',
        read: {
          input,
          card: {
            reason: input.reason,
            reasonText: REASON_TEXT[input.reason],
            cpcId,
            statedEntry,
            statedAs: input.statedEntry ?? null,
            refused: input.refused === true,
          },
        },
        checks: {
          specials: [{ code: special, description: describeSpecial(special) }],
          listHits: [],
          suggested: { vehicleClass: null, vehicleKind: 0 },
          actions,
          blocked: false,
          needsRelease: false,
        },
      };
    },

    // No card names a plate: the confirmed plate is the only one.
    plateSpecials: () => [],

    feeFacts(read) {
      const { input } = read;
      return {
        card: { userType: 0, entry: null },
        obu: null,
        noCard: {
          reason: input.reason,
          ...(input.statedEntry !== undefined ? { statedEntry: input.statedEntry } : {}),
          ...(input.refused === true ? { refused: true } : {}),
        },
      };
    },

    passId(read, laneId, now) {
      // [S G60] 030 + exit lane ID + exit time; [P] a damaged CPC with a legible ID: 02 0000 + ID + exit time
      // (its entry time is unreadable).
      const cpcId = read.card.cpcId;
      return cpcId
        ? formatPassId({ media: 'cpc', cpcId, entryTime: now })
        : formatPassId({ media: 'none', exitLaneId: laneId, exitTime: now });
    },

    recordFields(read) {
      const { input, card } = read;
      return {
        ...(card.cpcId ? { mediaType: MEDIA_TYPE.CPC, mediaNo: card.cpcId } : { mediaType: MEDIA_TYPE.NONE }),
        noCardReason: input.reason,
        ...(input.statedEntry !== undefined ? { statedEntry: input.statedEntry } : {}),
        ...(input.refused === true ? { entryRefused: true } : {}),
        plate: '',
        plateColour: null,
        vehicleSign: 0xff,
        axleCount: 0,
        provinceCount: 0,
        noCardCount: 1,
      };
    },
  };
}
