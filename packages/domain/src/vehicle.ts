/**
 * Vehicle classes (车型, JT/T 489-2019), vehicle kinds (车种), card user types and vehicle status flags
 * (reference/business-rules.md §1–2).
 */

export type VehicleClass = 1 | 2 | 3 | 4 | 11 | 12 | 13 | 14 | 15 | 16 | 21 | 22 | 23 | 24 | 25 | 26;

export type VehicleCategory = 'passenger' | 'truck' | 'special';

export interface VehicleClassInfo {
  readonly code: VehicleClass;
  readonly name: string;
  readonly category: VehicleCategory;
  /** Axles implied by the class (class % 10, at least 2) for trucks and special vehicles; 2 for passenger. */
  readonly axles: number;
  readonly definition: string;
}

export const VEHICLE_CLASSES: readonly VehicleClassInfo[] = [
  {
    code: 1,
    name: '一类客车',
    category: 'passenger',
    axles: 2,
    definition: '车长小于6000mm且核定载人数不大于9人',
  },
  {
    code: 2,
    name: '二类客车',
    category: 'passenger',
    axles: 2,
    definition: '车长小于6000mm且核定载人数为10–19人',
  },
  {
    code: 3,
    name: '三类客车',
    category: 'passenger',
    axles: 2,
    definition: '车长不小于6000mm且核定载人数不大于39人',
  },
  {
    code: 4,
    name: '四类客车',
    category: 'passenger',
    axles: 2,
    definition: '车长不小于6000mm且核定载人数不小于40人',
  },
  {
    code: 11,
    name: '一类货车',
    category: 'truck',
    axles: 2,
    definition: '2轴，车长小于6000mm且最大允许总质量小于4500kg',
  },
  {
    code: 12,
    name: '二类货车',
    category: 'truck',
    axles: 2,
    definition: '2轴，车长不小于6000mm或最大允许总质量不小于4500kg',
  },
  { code: 13, name: '三类货车', category: 'truck', axles: 3, definition: '3轴' },
  { code: 14, name: '四类货车', category: 'truck', axles: 4, definition: '4轴' },
  { code: 15, name: '五类货车', category: 'truck', axles: 5, definition: '5轴' },
  { code: 16, name: '六类货车', category: 'truck', axles: 6, definition: '6轴及以上' },
  {
    code: 21,
    name: '一类专项作业车',
    category: 'special',
    axles: 2,
    definition: '2轴，车长小于6000mm且最大允许总质量小于4500kg',
  },
  {
    code: 22,
    name: '二类专项作业车',
    category: 'special',
    axles: 2,
    definition: '2轴，车长不小于6000mm或最大允许总质量不小于4500kg',
  },
  { code: 23, name: '三类专项作业车', category: 'special', axles: 3, definition: '3轴' },
  { code: 24, name: '四类专项作业车', category: 'special', axles: 4, definition: '4轴' },
  { code: 25, name: '五类专项作业车', category: 'special', axles: 5, definition: '5轴' },
  { code: 26, name: '六类专项作业车', category: 'special', axles: 6, definition: '6轴及以上' },
];

const CLASS_BY_CODE = new Map<number, VehicleClassInfo>(VEHICLE_CLASSES.map((c) => [c.code, c]));

export function isVehicleClass(value: unknown): value is VehicleClass {
  return typeof value === 'number' && CLASS_BY_CODE.has(value);
}

export function vehicleClassInfo(code: VehicleClass): VehicleClassInfo {
  return CLASS_BY_CODE.get(code)!;
}

/** 车种 as recorded on exit records (`vehicleClass` in the ministry record). */
export type VehicleKind = 0 | 6 | 8 | 10 | 12 | 14 | 21 | 22 | 23 | 24 | 25 | 26 | 27 | 28;

export interface VehicleKindInfo {
  readonly code: VehicleKind;
  readonly name: string;
  /** Free of toll (after authorisation / inspection). 8/10/14 and the fee effects are [P] policy defaults. */
  readonly free: boolean;
  /** Needs an inspection (查验) or a list check before it is free. */
  readonly needsInspection: boolean;
}

export const VEHICLE_KINDS: readonly VehicleKindInfo[] = [
  { code: 0, name: '普通', free: false, needsInspection: false },
  { code: 6, name: '公务车', free: false, needsInspection: false },
  { code: 8, name: '军警', free: true, needsInspection: false },
  { code: 10, name: '紧急', free: true, needsInspection: false },
  { code: 12, name: '免费', free: true, needsInspection: false },
  { code: 14, name: '车队', free: true, needsInspection: false },
  { code: 21, name: '绿通', free: true, needsInspection: true },
  { code: 22, name: '联合收割机', free: true, needsInspection: true },
  { code: 23, name: '抢险救灾', free: true, needsInspection: true },
  { code: 24, name: 'J1集装箱', free: false, needsInspection: false },
  { code: 25, name: '大件运输', free: false, needsInspection: true },
  { code: 26, name: '应急车', free: true, needsInspection: true },
  { code: 27, name: '货车列车或半挂汽车列车', free: false, needsInspection: false },
  { code: 28, name: 'J2集装箱', free: false, needsInspection: false },
];

/** Named 车种 codes, for code that tests one. */
export const VEHICLE_KIND = {
  ORDINARY: 0,
  OFFICIAL: 6,
  MILITARY_POLICE: 8,
  EMERGENCY: 10,
  FREE: 12,
  CONVOY: 14,
  GREEN_CHANNEL: 21,
  COMBINE_HARVESTER: 22,
  DISASTER_RELIEF: 23,
  J1_CONTAINER: 24,
  OVERSIZE: 25,
  EMERGENCY_RESCUE: 26,
  ROAD_TRAIN: 27,
  J2_CONTAINER: 28,
} as const satisfies Record<string, VehicleKind>;

const KIND_BY_CODE = new Map<number, VehicleKindInfo>(VEHICLE_KINDS.map((k) => [k.code, k]));

export function isVehicleKind(value: unknown): value is VehicleKind {
  return typeof value === 'number' && KIND_BY_CODE.has(value);
}

export function vehicleKindInfo(code: VehicleKind): VehicleKindInfo {
  return KIND_BY_CODE.get(code)!;
}

/** Default free kinds; a province policy may override ([P], business-rules.md §2). */
export function isFreeKind(code: VehicleKind): boolean {
  return vehicleKindInfo(code).free;
}

/** Vehicle user type held in card 0015 byte 40 / OBU vehicle info (business-rules.md §2). */
export const CARD_USER_TYPES: ReadonlyMap<number, string> = new Map([
  [0, '普通'],
  [6, '公务'],
  [8, '军警'],
  [10, '紧急'],
  [12, '免费'],
  [14, '车队'],
  [0x18, '集装箱牵引车'],
  [0x1a, '应急救援车'],
  [0x1b, '其他牵引车'],
]);

export function cardUserTypeName(code: number): string {
  return CARD_USER_TYPES.get(code) ?? (code <= 20 ? `自定义(${code})` : `未知(${code})`);
}

/**
 * The collector's default 车种 for a card user type: the same code where it is a record kind
 * ([P]: the handheld defaults 车种 from the card; business-rules.md §2).
 */
export function defaultKindForUserType(userType: number): VehicleKind {
  if (userType === 0x18) return 24;
  if (userType === 0x1a) return 26;
  if (userType === 0x1b) return 27;
  return isVehicleKind(userType) ? userType : 0;
}

/** 车辆状态标识 (vehicleSign) written at entry, by name; 0xFF is the default. */
export const VEHICLE_STATUS_FLAG = {
  /** 大件运输 */
  OVERSIZE: 0x00,
  /** 非优惠 */
  NON_PREFERENTIAL: 0x01,
  /** 绿通 */
  GREEN_CHANNEL: 0x02,
  /** 联合收割机 */
  COMBINE_HARVESTER: 0x03,
  /** 集装箱 */
  CONTAINER: 0x04,
  /** 默认 */
  NONE: 0xff,
} as const;
