import { fail, ok, type Result } from './result';

/**
 * Plate colours (2-digit on records) and plate validation by colour (business-rules.md §3).
 * The per-colour rules are [P]: the sourced patterns are applied to the colours they fit.
 */
export type PlateColour = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 9 | 11 | 12;

export const PLATE_COLOURS: ReadonlyMap<PlateColour, string> = new Map<PlateColour, string>([
  [0, '蓝'],
  [1, '黄'],
  [2, '黑'],
  [3, '白'],
  [4, '渐变绿'],
  [5, '黄绿双拼'],
  [6, '蓝白渐变'],
  [7, '临时牌照'],
  [9, '未确定'],
  [11, '绿'],
  [12, '红'],
]);

export function isPlateColour(value: unknown): value is PlateColour {
  return typeof value === 'number' && PLATE_COLOURS.has(value as PlateColour);
}

export function plateColourName(colour: PlateColour): string {
  return PLATE_COLOURS.get(colour)!;
}

export const PROVINCE_ABBREVIATIONS = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';

/** The plate written when the camera recognised nothing; only valid as a captured (identify) plate. */
export const UNRECOGNISED_PLATE = '默A00000';

const P = `[${PROVINCE_ABBREVIATIONS}]`;
const ALNUM_NO_IO = '[A-HJ-NP-Z0-9]';

const FORMS = {
  ordinary: new RegExp(`^[${PROVINCE_ABBREVIATIONS}使][A-Z]${ALNUM_NO_IO}{4}[A-HJ-NP-Z0-9挂学警港澳领]$`),
  smallNev: new RegExp(`^${P}[A-Z][DF]${ALNUM_NO_IO}[0-9]{4}$`),
  largeNev: new RegExp(`^${P}[A-Z][0-9]{5}[DF]$`),
  armedPolice: new RegExp(`^WJ[${PROVINCE_ABBREVIATIONS}警]?[0-9A-Z]{4}[0-9A-Z]$`),
  military: /^[A-Z]{2}[0-9]{5}$/,
  embassy: /^使[0-9]{6}$/,
  emergency: new RegExp(`^${P}[A-Z0-9][A-Z0-9]{4}应急$`),
  freeForm: new RegExp(`^[${PROVINCE_ABBREVIATIONS}A-Z0-9使领挂学警港澳试超外临应急农]{2,9}$`),
} as const;

export type PlateForm = keyof typeof FORMS | 'unrecognised';

export interface ValidPlate {
  readonly plate: string;
  readonly colour: PlateColour;
  readonly form: PlateForm;
}

export interface ValidatePlateOptions {
  /** Accept `默A00000` with colour 9 (a camera's "no plate"); never for the actual plate (vehicleId). */
  readonly allowUnrecognised?: boolean;
}

/** Trims and upper-cases Latin letters; Chinese characters are kept as typed. */
export function normalisePlate(plate: string): string {
  return plate.trim().replace(/[a-z]/g, (c) => c.toUpperCase());
}

const FORMS_BY_COLOUR: Readonly<Record<PlateColour, readonly (keyof typeof FORMS)[]>> = {
  0: ['ordinary', 'embassy', 'emergency'],
  1: ['ordinary', 'emergency'],
  2: ['ordinary', 'embassy'],
  3: ['ordinary', 'armedPolice', 'military', 'emergency'],
  4: ['smallNev'],
  5: ['largeNev'],
  6: ['ordinary'],
  7: ['freeForm'],
  9: [],
  11: ['freeForm'],
  12: ['freeForm'],
};

/** Explains why an ordinary-looking plate failed, so the collector sees which position is wrong. */
function diagnose(plate: string, colour: PlateColour): string {
  const chars = [...plate];
  if (colour === 4 || colour === 5) {
    if (chars.length !== 8) return `新能源号牌应为8位，实为${chars.length}位`;
    if (!PROVINCE_ABBREVIATIONS.includes(chars[0]!)) return `第1位“${chars[0]}”不是省份简称`;
    if (colour === 4 && !/[DF]/.test(chars[2]!)) return '小型新能源号牌第3位应为D或F';
    if (colour === 5 && !/[DF]/.test(chars[7]!)) return '大型新能源号牌第8位应为D或F';
    return '新能源号牌格式不符';
  }
  if (colour === 7 || colour === 11 || colour === 12) return `号牌应为2–9位汉字、字母或数字`;
  if (chars.length !== 7) return `号牌应为7位，实为${chars.length}位`;
  if (!`${PROVINCE_ABBREVIATIONS}使`.includes(chars[0]!)) return `第1位“${chars[0]}”不是省份简称`;
  if (!/[A-Z]/.test(chars[1]!)) return `第2位“${chars[1]}”应为字母`;
  const io = chars.slice(2, 6).findIndex((c) => c === 'I' || c === 'O');
  if (io >= 0) return `第${io + 3}位不能是字母I或O（第3–6位不用I/O）`;
  return `号牌格式与${plateColourName(colour)}色不符`;
}

/** Validates a plate against the patterns allowed for its colour; the reason is in Chinese for the collector. */
export function validatePlate(
  rawPlate: string,
  colour: number,
  options: ValidatePlateOptions = {},
): Result<ValidPlate> {
  if (!isPlateColour(colour)) return fail('PLATE_COLOUR_INVALID', 'colour', `未知的车牌颜色代码 ${colour}`);
  const plate = normalisePlate(rawPlate);
  if (plate.length === 0) return fail('PLATE_INVALID', 'plate', '车牌号为空');
  if (colour === 9) {
    if (options.allowUnrecognised && plate === UNRECOGNISED_PLATE)
      return ok({ plate, colour, form: 'unrecognised' });
    return fail('PLATE_COLOUR_INVALID', 'colour', '颜色9（未确定）只用于未识别车牌“默A00000”');
  }
  for (const form of FORMS_BY_COLOUR[colour]) {
    if (FORMS[form].test(plate)) return ok({ plate, colour, form });
  }
  return fail('PLATE_INVALID', 'plate', diagnose(plate, colour));
}

/** The record form `plate_colour`, e.g. `京A12345_1`. */
export function formatVehicleId(plate: string, colour: PlateColour): string {
  return `${plate}_${colour}`;
}

/** Parses `plate_colour` and validates the plate by its colour. */
export function parseVehicleId(
  text: string,
  options: ValidatePlateOptions = {},
): Result<{ plate: string; colour: PlateColour }> {
  const m = /^(.+)_(\d{1,2})$/.exec(text);
  if (!m) return fail('VEHICLE_ID_INVALID', 'vehicleId', `应为“车牌_颜色”，实为“${text}”`);
  const r = validatePlate(m[1]!, Number(m[2]), options);
  if (!r.ok) return fail('VEHICLE_ID_INVALID', `vehicleId.${r.error.field}`, r.error.reason);
  if (r.value.plate !== m[1])
    return fail('VEHICLE_ID_INVALID', 'vehicleId.plate', '车牌号须为规范形式（大写、无空格）');
  return ok({ plate: r.value.plate, colour: r.value.colour });
}
