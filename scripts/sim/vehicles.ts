/**
 * TEST training vehicles for the demo and the trip CLI (synthetic test data, TEST keys). The ids and
 * plates follow the handheld's in-page training cards (apps/handheld/src/card/training-cards.ts) where
 * those exist, so the same case means the same vehicle everywhere.
 */
export interface TrainingVehicle {
  id: string;
  label: string;
  plate: string;
  colour: number;
  /** Plate the collector sees at the lane (the camera's and the one typed); differs for a mismatch. */
  actualPlate?: string;
  vehicleClass: number;
  cardType: 'stored-value' | 'account';
  algorithm: '3des' | 'sm4';
  /** Fen. */
  balance: number;
  serial: number;
  /** Entry this many stations back along the road; 0 = U-turn (entry = exit station); null = no entry. */
  entryOffset: number | null;
  entryHoursAgo: number;
  validUntil?: string;
  locked?: boolean;
  /** OBU fitted (EF04 data) and whether it was removed (拆卸). */
  obu?: { removed: boolean };
  /** Put on the centre's vehicle-green list by the demo launcher (绿通). */
  greenChannel?: boolean;
}

export const TRAINING_VEHICLES: readonly TrainingVehicle[] = [
  {
    id: 'car',
    label: '训练小客车（储值卡，余额充足）',
    plate: '鲁A12345',
    colour: 0,
    vehicleClass: 1,
    cardType: 'stored-value',
    algorithm: '3des',
    balance: 50_000,
    serial: 9_000_001,
    entryOffset: 1,
    entryHoursAgo: 1.5,
  },
  {
    id: 'truck',
    label: '训练货车（记账卡，SM4）',
    plate: '鲁B67890',
    colour: 1,
    vehicleClass: 12,
    cardType: 'account',
    algorithm: 'sm4',
    balance: 0,
    serial: 9_000_002,
    entryOffset: 1,
    entryHoursAgo: 2,
  },
  {
    id: 'low-balance',
    label: '余额不足（储值卡 ¥0.01）',
    plate: '鲁A20001',
    colour: 0,
    vehicleClass: 1,
    cardType: 'stored-value',
    algorithm: '3des',
    balance: 1,
    serial: 9_000_003,
    entryOffset: 1,
    entryHoursAgo: 1,
  },
  {
    id: 'account',
    label: '记账卡小客车',
    plate: '鲁A30003',
    colour: 0,
    vehicleClass: 1,
    cardType: 'account',
    algorithm: 'sm4',
    balance: 0,
    serial: 9_000_010,
    entryOffset: 2,
    entryHoursAgo: 1,
  },
  {
    id: 'status-list',
    label: '状态名单车辆',
    plate: '鲁A44444',
    colour: 0,
    vehicleClass: 1,
    cardType: 'account',
    algorithm: '3des',
    balance: 0,
    serial: 666,
    entryOffset: 1,
    entryHoursAgo: 1,
  },
  {
    id: 'plate-mismatch',
    label: '车牌不符（卡内鲁A33333，实际鲁A33338）',
    plate: '鲁A33333',
    actualPlate: '鲁A33338',
    colour: 0,
    vehicleClass: 1,
    cardType: 'stored-value',
    algorithm: '3des',
    balance: 50_000,
    serial: 9_000_005,
    entryOffset: 1,
    entryHoursAgo: 1,
  },
  {
    id: 'overdue',
    label: '超时车辆（需班长授权）',
    plate: '鲁A55555',
    colour: 0,
    vehicleClass: 1,
    cardType: 'stored-value',
    algorithm: '3des',
    balance: 50_000,
    serial: 9_000_006,
    entryOffset: 1,
    entryHoursAgo: 50,
  },
  {
    id: 'expired',
    label: '过期卡',
    plate: '鲁A66661',
    colour: 0,
    vehicleClass: 1,
    cardType: 'stored-value',
    algorithm: '3des',
    balance: 50_000,
    serial: 9_000_011,
    entryOffset: 1,
    entryHoursAgo: 1,
    validUntil: '20240101',
  },
  {
    id: 'locked',
    label: '锁卡',
    plate: '鲁A66662',
    colour: 0,
    vehicleClass: 1,
    cardType: 'stored-value',
    algorithm: '3des',
    balance: 50_000,
    serial: 9_000_012,
    entryOffset: 1,
    entryHoursAgo: 1,
    locked: true,
  },
  {
    id: 'obu-removed',
    label: 'OBU已拆卸',
    plate: '鲁A66663',
    colour: 0,
    vehicleClass: 1,
    cardType: 'stored-value',
    algorithm: '3des',
    balance: 50_000,
    serial: 9_000_013,
    entryOffset: 1,
    entryHoursAgo: 1,
    obu: { removed: true },
  },
  {
    id: 'no-entry',
    label: '无入口信息',
    plate: '鲁A66664',
    colour: 0,
    vehicleClass: 1,
    cardType: 'stored-value',
    algorithm: '3des',
    balance: 50_000,
    serial: 9_000_014,
    entryOffset: null,
    entryHoursAgo: 1,
  },
  {
    id: 'u-turn',
    label: 'U型车（同站进出）',
    plate: '鲁A66665',
    colour: 0,
    vehicleClass: 1,
    cardType: 'stored-value',
    algorithm: '3des',
    balance: 50_000,
    serial: 9_000_015,
    entryOffset: 0,
    entryHoursAgo: 0.5,
  },
  {
    id: 'green-channel',
    label: '绿色通道货车',
    plate: '鲁B66666',
    colour: 1,
    vehicleClass: 12,
    cardType: 'account',
    algorithm: '3des',
    balance: 0,
    serial: 9_000_016,
    entryOffset: 2,
    entryHoursAgo: 3,
    greenChannel: true,
  },
];

export function trainingVehicle(id: string): TrainingVehicle | undefined {
  return TRAINING_VEHICLES.find((v) => v.id === id);
}
