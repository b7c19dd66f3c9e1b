import {
  cardTimeToDate,
  decodeBalance,
  decodeEf0015,
  decodeEf0019,
  type Ef0015,
  type Ef0019,
  hexToBytes,
} from '@tollpad/card';
import {
  beijingCompact,
  defaultKindForUserType,
  describeSpecial,
  formatVehicleId,
  hasEntry,
  type PlateColour,
  SPECIAL,
} from '@tollpad/domain';
import type { CardRead, ObuRead, SpecialNote } from '@tollpad/station-api';
import { StationError } from '../../../errors';
import type { ListHit, StatusLists } from '../../../ports/status-lists';
import { arrearsSpecial } from '../../arrears-lookup.service';
import type { MediumChecks } from '../exit-parts';

export interface CardFacts {
  cardId: string;
  cardNet: string;
  cardKind: 'stored-value' | 'account' | 'other';
  cardType: number;
  cardVersion: number;
  issuerId: string;
  validFrom: string;
  validUntil: string;
  plate: string;
  plateColour: number | null;
  userType: number;
  cardClass: number | null;
  balance: number;
  entry: {
    stationHex: string;
    lane: number;
    time: string;
    compact: string;
    vehicleClass: number | null;
    status: number;
    plate: string;
    plateColour: number | null;
    axles: number | null;
    vehicleStatusFlag: number | null;
    cumulativeAmount: number | null;
  } | null;
  lock: number;
}

export interface CheckOptions {
  /**
   * [P] Card networks accepted as issuers; empty = any network starting with a province code 11–65, or 99
   * (the synthetic TEST network of the demo world — set VALID_CARD_NETWORKS in production).
   */
  validNetworks: readonly string[];
  layout0019: 'legacy' | '2019';
}

/** Decodes the card files; any codec failure is a collector-facing "re-read the card" error. */
export function decodeCard(input: CardRead, layout: 'legacy' | '2019'): CardFacts {
  let f15: Ef0015;
  let f19: Ef0019;
  try {
    f15 = decodeEf0015(hexToBytes(input.ef0015));
    f19 = decodeEf0019(hexToBytes(input.ef0019), input.layout0019 ?? layout);
  } catch (e) {
    throw new StationError('STN_ERR_EXIT_CARD_UNREADABLE', e instanceof Error ? e.message : 'decode failed', {
      cause: e,
    });
  }
  let balance: number;
  try {
    balance = decodeBalance(input.balance, f15.cardKind);
  } catch (e) {
    throw new StationError('STN_ERR_EXIT_CARD_UNREADABLE', 'balance', { cause: e });
  }
  const entryTime = cardTimeToDate(f19.time);
  return {
    cardId: f15.cardNumber,
    cardNet: f15.network,
    cardKind: f15.cardKind,
    cardType: f15.cardType,
    cardVersion: f15.cardVersion,
    issuerId: f15.issuerId,
    validFrom: f15.validFrom,
    validUntil: f15.validUntil,
    plate: f15.plate,
    plateColour: f15.plateColour.code,
    userType: f15.userType,
    cardClass: f15.vehicleClass?.code ?? null,
    balance,
    lock: f19.lock,
    entry: hasEntry(f19)
      ? {
          stationHex: `${f19.network}${f19.station}`.toUpperCase(),
          lane: f19.lane,
          time: entryTime.toISOString(),
          compact: beijingCompact(entryTime),
          vehicleClass: f19.vehicleClass.code,
          status: f19.status,
          plate: f19.plate,
          plateColour: f19.layout === '2019' ? f19.plateColour.code : null,
          axles: f19.layout === '2019' ? f19.axles : null,
          vehicleStatusFlag: f19.layout === '2019' ? f19.vehicleStatusFlag : null,
          cumulativeAmount: f19.layout === '2019' ? f19.cumulativeAmount : null,
        }
      : null,
  };
}

const note = (code: number): SpecialNote => ({ code, description: describeSpecial(code) });

/** The 【读卡】 checks: validity, lock, type, issuer, card↔OBU, entry, status lists. */
export function checkCard(
  card: CardFacts,
  obu: ObuRead | undefined,
  lists: StatusLists,
  now: Date,
  opts: CheckOptions,
): MediumChecks {
  const codes = new Set<number>();
  const actions: string[] = [];
  let blocked = false;
  let needsRelease = false;
  const today = beijingCompact(now).slice(0, 8);

  if (card.cardKind === 'other') {
    codes.add(SPECIAL.CARD_TYPE_INVALID);
    blocked = true;
  }
  if (card.validUntil < today) {
    codes.add(SPECIAL.CARD_EXPIRED);
    blocked = true;
  }
  if (card.validFrom > today) {
    codes.add(SPECIAL.CARD_NOT_YET_VALID);
    blocked = true;
  }
  if (card.lock !== 0) {
    codes.add(SPECIAL.CARD_LOCKED);
    blocked = true;
  }
  const networkOk =
    opts.validNetworks.length > 0
      ? opts.validNetworks.includes(card.cardNet)
      : /^(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|99)\d{2}$/.test(card.cardNet);
  if (!networkOk) {
    codes.add(SPECIAL.CARD_ISSUER_INVALID);
    blocked = true;
  }
  if (card.cardKind === 'stored-value' && card.balance === 0) codes.add(SPECIAL.BALANCE_ZERO);
  if (!card.entry) codes.add(SPECIAL.CARD_ENTRY_INVALID);

  if (obu) {
    if (obu.removed) codes.add(SPECIAL.OBU_REMOVED);
    if (obu.plate !== undefined && (obu.plate !== card.plate || obu.plateColour !== card.plateColour)) {
      codes.add(SPECIAL.CARD_OBU_PLATE);
    }
    if (obu.vehicleClass !== undefined && card.cardClass !== null && obu.vehicleClass !== card.cardClass) {
      codes.add(SPECIAL.CARD_OBU_CLASS);
    }
    if (obu.issuerNetwork !== undefined && obu.issuerNetwork.slice(0, 2) !== card.cardNet.slice(0, 2)) {
      codes.add(SPECIAL.CARD_OBU_ISSUER);
    }
    if (obu.validUntil !== undefined && obu.validUntil < today) codes.add(SPECIAL.OBU_EXPIRED);
  }

  const listHits: ListHit[] = [];
  const cardHit = lists.lookup('card', card.cardId);
  if (cardHit) {
    listHits.push(cardHit);
    codes.add(SPECIAL.CARD_ON_LIST);
    needsRelease = true;
  }
  if (obu) {
    const obuHit = lists.lookup('obu', obu.obuId);
    if (obuHit) {
      listHits.push(obuHit);
      codes.add(SPECIAL.OBU_ON_LIST);
      needsRelease = true;
    }
  }
  if (card.plateColour !== null) {
    const vHit = lists.lookup('vehicle', formatVehicleId(card.plate, card.plateColour as PlateColour));
    if (vHit) {
      listHits.push(vHit);
      // 118 追缴 (black) or 127 预追缴 (grey), by the list's type; the amounts come from GET /arrears.
      codes.add(arrearsSpecial(vHit));
      actions.push('车辆在追缴名单中：按规定另行补费');
    }
  }

  if (blocked) actions.unshift('该卡不能ETC扣费：请改用其他方式收费，或取消交易');
  if (needsRelease) actions.push('卡/OBU在状态名单中：拦截车辆，需班长授权临时放行');
  if (codes.has(SPECIAL.CARD_ENTRY_INVALID)) actions.push('无有效入口信息：核实入口站后【算费】时选择入口站');
  if (!blocked) actions.push('请输入实际车牌、选择车牌颜色并拍照，然后【提交图片数据】');

  const suggestedClass = card.cardClass ?? obu?.vehicleClass ?? card.entry?.vehicleClass ?? null;
  return {
    specials: [...codes].sort((a, b) => a - b).map(note),
    listHits,
    suggested: { vehicleClass: suggestedClass, vehicleKind: defaultKindForUserType(card.userType) },
    actions,
    blocked,
    needsRelease,
  };
}
