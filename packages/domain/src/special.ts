import { fail, ok, type Result } from './result';

/**
 * Special-situation (特情) codes for ETC exit records (business-rules.md §6, card-and-obu.md §6).
 *
 * Note on 49–56: the reference also lists UIXE's online-fee outcome constants as 49–56, which collide
 * with the ministry's entry/exit codes 51–56 in the same record field. The record's specialType follows
 * the ministry table, so online-fee outcomes are placed in the fee-module range 61–65 [P]; they are
 * named constants (SPECIAL.*) so a province adapter can remap them.
 */
export type SpecialGroup = 'obu' | 'card' | 'card-obu' | 'entry-exit' | 'fee' | 'device' | 'other';

export interface SpecialInfo {
  readonly description: string;
  readonly group: SpecialGroup;
  /** What the collector should do, in Chinese, where the code calls for an action. */
  readonly action?: string;
}

const TABLE: ReadonlyArray<readonly [number, SpecialGroup, string, string?]> = [
  [1, 'obu', 'OBU电量低'],
  [2, 'obu', 'OBU拆卸', '按OBU拆卸车辆人工处理并登记特情'],
  [3, 'obu', 'OBU已过期'],
  [4, 'obu', 'OBU未启用'],
  [5, 'obu', 'OBU无卡'],
  [6, 'obu', 'OBU在状态名单中', '拦截车辆，联系监控处理'],
  [7, 'obu', 'OBU已锁定'],
  [8, 'obu', 'OBU发行方无效'],
  [9, 'obu', 'OBU车型不合法'],
  [10, 'obu', 'EF04格式错误'],
  [11, 'obu', 'EF04标签无卡累计次数大于0'],
  [12, 'obu', 'OBU入口信息无效'],
  [13, 'obu', 'EF04通行省份个数为0'],
  [14, 'fee', 'OBU累计金额大于最小费额1.5倍'],
  [15, 'fee', 'OBU累计金额小于最小费额'],
  [16, 'fee', '跨省交易出口省OBU本省累计金额为0'],
  [18, 'fee', '累计计费里程异常'],
  [21, 'card', '卡片已过期', '拒绝交易，请车主到发行方处理'],
  [22, 'card', '卡片未启用', '拒绝交易，请车主到发行方处理'],
  [23, 'card', '卡片已锁定', '拒绝交易，联系监控处理'],
  [24, 'card', '卡片在状态名单中', '拦截车辆，联系监控处理'],
  [25, 'card', '卡片发行方无效'],
  [26, 'card', '卡片入口信息无效', '核实入口站后按最小费额处理'],
  [27, 'card', '储值卡余额不足', '请车主以其他方式缴费'],
  [28, 'card', '储值卡余额为0', '请车主以其他方式缴费'],
  [29, 'fee', '卡累计金额大于最小费额1.5倍'],
  [30, 'fee', '卡累计金额小于最小费额'],
  [31, 'card', '卡片类型非法'],
  [32, 'card', '车辆状态标识非法'],
  // CPC exit specials (cpc-card.md §5.1, [S DICT exSpecialType]).
  [33, 'card', 'CPC卡电量过低'],
  [34, 'card', 'CPC卡密钥UK1锁定', '按坏卡处理，收回CPC卡'],
  [35, 'card', 'CPC卡损坏', '按坏卡处理：按车牌在线计费或核实入口站'],
  [36, 'card', '无CPC卡', '按无卡处理：按车牌在线计费或核实入口站'],
  [37, 'card', '入口站信息错误', '核实入口站后按最小费额处理'],
  [38, 'card', 'CPC卡发行归属地异常'],
  [39, 'card', 'CPC卡状态异常', '拦截车辆，联系监控处理'],
  [41, 'card-obu', '卡签车牌不一致', '核对车牌后登记特情'],
  [42, 'card-obu', '卡签车型不一致'],
  [43, 'card-obu', '卡签发行方不一致'],
  [44, 'card-obu', 'EF04中卡号与卡片不一致'],
  [45, 'card-obu', '卡签入口信息不一致'],
  [46, 'card-obu', '卡签最后门架信息不一致'],
  [47, 'card-obu', '卡签车种不一致'],
  [51, 'entry-exit', '出入口车型不一致', '核实车型'],
  [52, 'entry-exit', '出入口车牌不一致', '核对实际车牌'],
  [53, 'entry-exit', '出入口车辆状态标识不一致'],
  [54, 'entry-exit', '入口时间异常'],
  [55, 'entry-exit', '入口状态字节异常'],
  [56, 'entry-exit', '无卡入口'],
  [57, 'entry-exit', '门架写入口信息'],
  [58, 'entry-exit', '行驶超时', '需监控授权'],
  [59, 'entry-exit', '路径不可达'],
  [60, 'entry-exit', '出入口轴数不一致'],
  [61, 'fee', '省内在线计费失败'],
  [62, 'fee', '跨省（部中心）在线计费失败'],
  [63, 'fee', '在线计费金额为0'],
  [64, 'fee', '在线计费金额小于最小费额'],
  [65, 'fee', '在线计费金额大于最小费额1.5倍', '需监控确认'],
  [66, 'fee', '计费路径不可达'],
  [67, 'fee', '拟合门架数过多'],
  [68, 'fee', '计费异常或路径拟合失败'],
  // 绿通 (cpc-card.md §8 [S DICT]): a failed inspection; the vehicle pays the normal fee.
  [126, 'other', '绿通查验不合格', '按普通车收费'],
  [72, 'device', '读车辆信息失败'],
  [73, 'device', '车辆信息解密失败'],
  [74, 'device', '读卡文件失败'],
  [75, 'device', '复合消费初始化失败'],
  [76, 'device', '更新复合应用数据缓存失败'],
  [77, 'device', '复合消费失败'],
  [78, 'device', '取TAC失败'],
  [79, 'device', '读写EF04失败'],
  [86, 'device', 'MAC1校验失败'],
  [87, 'device', 'MAC2校验失败', '请联系监控'],
  [97, 'device', 'PSAM卡未授权', '请重新进行PSAM授权'],
  [111, 'other', 'U型车', '需监控授权'],
  [116, 'other', '节假日免费'],
  [118, 'other', '车辆在追缴名单中', '拦截车辆，通知稽核补缴'],
  [127, 'other', '车牌在追缴灰名单', '核实后按规定补缴'],
  [128, 'other', '绿通车', '查验后免费放行'],
  [162, 'other', '出口追缴'],
  [132, 'other', '联合收割机', '查验后免费放行'],
  [143, 'other', '车牌与抓拍车牌不符'],
  [183, 'device', '出口写卡失败'],
  // Fujian's code for a vehicle released after a failed CPC exit write [S TCS EM_SpecialType]
  // (cpc-card.md §5.1); another province configures its own code at the station.
  [523, 'device', 'CPC写卡失败过车', '收回CPC卡并放行，已收费用有效'],
];

export const SPECIAL_CODES: ReadonlyMap<number, SpecialInfo> = new Map(
  TABLE.map(([code, group, description, action]) => [
    code,
    action ? { group, description, action } : { group, description },
  ]),
);

/** Named codes for the ones code refers to directly. */
export const SPECIAL = {
  OBU_REMOVED: 2,
  OBU_EXPIRED: 3,
  OBU_NOT_YET_VALID: 4,
  OBU_NO_CARD: 5,
  OBU_ON_LIST: 6,
  OBU_LOCKED: 7,
  OBU_ISSUER_INVALID: 8,
  EF04_FORMAT: 10,
  EF04_NO_CARD_PASSES: 11,
  OBU_ENTRY_INVALID: 12,
  EF04_NO_PROVINCE: 13,
  OBU_AMOUNT_ABOVE_BAND: 14,
  OBU_AMOUNT_BELOW_MIN: 15,
  MILEAGE_ABNORMAL: 18,
  CARD_EXPIRED: 21,
  CARD_NOT_YET_VALID: 22,
  CARD_LOCKED: 23,
  CARD_ON_LIST: 24,
  CARD_ISSUER_INVALID: 25,
  CARD_ENTRY_INVALID: 26,
  BALANCE_INSUFFICIENT: 27,
  BALANCE_ZERO: 28,
  CARD_AMOUNT_ABOVE_BAND: 29,
  CARD_AMOUNT_BELOW_MIN: 30,
  CARD_TYPE_INVALID: 31,
  CPC_BATTERY_LOW: 33,
  CPC_UK1_LOCKED: 34,
  CPC_DAMAGED: 35,
  CPC_MISSING: 36,
  CPC_ENTRY_STATION_INVALID: 37,
  CPC_ISSUER_AREA_INVALID: 38,
  CPC_STATUS_ABNORMAL: 39,
  CARD_OBU_PLATE: 41,
  CARD_OBU_CLASS: 42,
  CARD_OBU_ISSUER: 43,
  CARD_OBU_ENTRY: 45,
  ENTRY_EXIT_CLASS: 51,
  ENTRY_EXIT_PLATE: 52,
  ENTRY_EXIT_STATUS_FLAG: 53,
  GREEN_INSPECTION_FAILED: 126,
  ENTRY_TIME_ABNORMAL: 54,
  ENTRY_STATUS_BYTE: 55,
  TIMEOUT: 58,
  PATH_UNREACHABLE_ENTRY: 59,
  AXLES_MISMATCH: 60,
  ONLINE_FEE_FAILED_PROVINCE: 61,
  ONLINE_FEE_FAILED_NATIONAL: 62,
  ONLINE_FEE_ZERO: 63,
  ONLINE_FEE_BELOW_MIN: 64,
  ONLINE_FEE_ABOVE_BAND: 65,
  FEE_PATH_UNREACHABLE: 66,
  FEE_TOO_MANY_GANTRIES: 67,
  FEE_FIT_FAILED: 68,
  MAC2_INVALID: 87,
  PSAM_NOT_AUTHORISED: 97,
  U_TURN: 111,
  HOLIDAY_FREE: 116,
  VEHICLE_ON_CHASE_LIST: 118,
  VEHICLE_ON_GREY_CHASE_LIST: 127,
  EXIT_ARREARS_PAYBACK: 162,
  GREEN_CHANNEL: 128,
  COMBINE_HARVESTER: 132,
  CAPTURED_PLATE_MISMATCH: 143,
  CARD_WRITE_FAILED: 183,
} as const;

export function isSpecialCode(code: number): boolean {
  return SPECIAL_CODES.has(code);
}

export function describeSpecial(code: number): string {
  // 141–173 and 500+ are province-defined: known to exist, text set by the province.
  return (
    SPECIAL_CODES.get(code)?.description ??
    (code >= 500 || (code >= 141 && code <= 173) ? `省定义特情${code}` : `未知特情${code}`)
  );
}

/** Codes joined with `|` in ascending order without duplicates, as records carry them (e.g. `14|51`). */
export function formatSpecialTypes(codes: readonly number[]): string {
  return [...new Set(codes)].sort((a, b) => a - b).join('|');
}

export function parseSpecialTypes(text: string): Result<number[]> {
  if (text === '') return ok([]);
  const parts = text.split('|');
  const codes: number[] = [];
  for (const [i, p] of parts.entries()) {
    if (!/^\d{1,3}$/.test(p)) return fail('SPECIAL_INVALID', `specialType[${i}]`, `“${p}”不是特情代码`);
    codes.push(Number(p));
  }
  return ok(codes);
}
