/**
 * Media stage: which accumulated amount can be trusted (an OBU's EF04, else the card's), and whether the
 * ETC discount applies.
 */
import { SPECIAL, VEHICLE_STATUS_FLAG } from '@tollpad/domain';
import type { DecisionState } from '../state';
import type { Ef04Status } from '../types';

export const MEDIA_RULES = [
  'MEDIA.CPC',
  'MEDIA.NO_CARD',
  'MEDIA.CARD_ONLY',
  'MEDIA.OBU_REMOVED',
  'MEDIA.EF04_INVALID',
  'DISCOUNT.ETC',
  'DISCOUNT.NONE',
] as const;

export interface MediaFacts {
  /** The OBU's EF04 amounts may be used. */
  readonly obuUsable: boolean;
  readonly discount: boolean;
}

const EF04_CODE: Record<Exclude<Ef04Status, 'ok'>, number> = {
  'bad-prefix': SPECIAL.EF04_FORMAT,
  'no-card-passes': SPECIAL.EF04_NO_CARD_PASSES,
  'entry-invalid': SPECIAL.OBU_ENTRY_INVALID,
  'no-province': SPECIAL.EF04_NO_PROVINCE,
};

export function mediaStage(s: DecisionState): MediaFacts {
  const { input, policy } = s;
  const obu = input.obu;
  let obuUsable = obu !== null;
  if (input.cpc) {
    // A CPC is not ETC: no ETC discount, M compared as the plain minimum fee (cpc-card.md §5.2).
    s.step('MEDIA.CPC', 'CPC卡（非ETC）：按CPC卡内计费信息判断');
    s.step('DISCOUNT.NONE', 'CPC卡不享受ETC优惠');
    return { obuUsable: false, discount: false };
  }
  if (input.noCard) {
    // No card at all: nothing to trust, no ETC discount; the no-card stage finds the fee (cpc-card.md §5.4).
    s.step('MEDIA.NO_CARD', '无可用通行卡：按车牌、所述入口或最远路径计费');
    s.step('DISCOUNT.NONE', '无通行卡不享受ETC优惠');
    return { obuUsable: false, discount: false };
  }
  if (obu === null) s.step('MEDIA.CARD_ONLY', 'ETC单卡（无OBU）：按卡片累计金额判断');
  if (obu?.removed) {
    obuUsable = false;
    s.step('MEDIA.OBU_REMOVED', 'OBU已拆卸：不采用EF04金额', [SPECIAL.OBU_REMOVED]);
  }
  if (obu && obu.ef04 !== 'ok') {
    obuUsable = false;
    s.step('MEDIA.EF04_INVALID', `EF04校验失败（${obu.ef04}）：不采用EF04金额`, [EF04_CODE[obu.ef04]]);
  }
  // 非优惠 written at entry: the vehicle is not entitled to the ETC discount [I].
  const nonPreferential = input.card.entry?.statusFlag === VEHICLE_STATUS_FLAG.NON_PREFERENTIAL;
  const discount =
    policy.etcDiscountEnabled && !nonPreferential && (obu !== null || policy.cardOnlyGetsEtcDiscount);
  const rate = s.tables.network.header.etcDiscount;
  s.step(
    discount ? 'DISCOUNT.ETC' : 'DISCOUNT.NONE',
    discount
      ? `享受ETC优惠（${rate[0]}/${rate[1]}，逐收费单元四舍五入）`
      : nonPreferential
        ? '入口车辆状态标识为非优惠（0x01）：不享受ETC优惠'
        : obu === null
          ? 'ETC单卡不享受ETC优惠'
          : '本省未启用ETC优惠',
  );
  return { obuUsable, discount };
}
