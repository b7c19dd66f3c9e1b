import { CLASS_CODES } from './classes';
import type { GantryDef, IntervalDef, NodeDef, StationDef } from './tariff-file';

/**
 * The synthetic neighbour province — SYNTHETIC TEST DATA: a small 陕西 (province 61, network 6101) joined to
 * the home province's first station by a pair of marked border gantries (省界门架). A lane holds the
 * national station list and minimum-fee table (最小费额, cpc-card.md §5.2, business-rules.md §5) and the
 * border gantries from the gantry parameter table; these records stand for that national table's slice
 * that a CPC from next door needs [P]. They are appended after the home province's records and touch the
 * home network at one station only, so no home-to-home path or fee changes.
 *
 *   61010201 —22 km— 61010202 —26 km— 61010203 —20 km— 61010204 —25 km— | border | —12 km— home station 1
 *
 * The 61010203 → border stretch is cpc-card.md §9's Shaanxi block (6C0110 then border gantry 6C012F,
 * 2000 + 2500 fen, 20 + 25 km for class 1): a [P] tunnel section charged 100 fen/km for class 1.
 */
export const NEIGHBOUR_PROVINCE = '61';
/** Network (路网号) of the neighbour's stations: station HEX = network ‖ road ‖ seq (61010203, §9). */
export const NEIGHBOUR_NETWORK = '6101';
/** The route crossing the border; its sections are numbered per province (G9801610010, G9801370010). */
const ROUTE = 'G9801';
const BORDER_NODE = `B-${ROUTE}-border`;

/**
 * [I, unverified] cpc-card.md §2.7: a gantry HEX's top 6 bits are the province index in GB order
 * (15 山东 → 0x3C, 27 陕西 → 0x6C); the rest is a sequence here. Other home provinces get 63 (unused).
 */
const GANTRY_PROVINCE_INDEX: Readonly<Record<string, number>> = { '37': 15, '61': 27 };
const gantryPrefix = (province: string) =>
  ((GANTRY_PROVINCE_INDEX[province] ?? 63) << 2).toString(16).toUpperCase().padStart(2, '0');

/** One stretch west → east: length, class-1 fen per km × 45 (45 = the home rate, 100 = tunnel), gantry HEX suffixes. */
interface Stretch {
  readonly from: string;
  readonly to: string;
  readonly km: number;
  readonly rate: number;
  /** Gantry HEX low 4 digits east- and westbound. */
  readonly east: string;
  readonly west: string;
  readonly border?: true;
}

export interface NeighbourRecords {
  readonly stations: readonly StationDef[];
  readonly nodes: readonly NodeDef[];
  readonly intervals: readonly IntervalDef[];
  readonly gantries: readonly GantryDef[];
}

/**
 * The neighbour's records for a home province whose first station is `homeStation`, with the class fees
 * as the home generator's (`ratePerKm` fen/km by class, class 1 = 45).
 */
export function neighbourRecords(
  homeProvince: string,
  homeStation: string,
  ratePerKm: (classCode: number) => number,
): NeighbourRecords {
  const section = `${ROUTE}${NEIGHBOUR_PROVINCE}0010`;
  const homeSection = `${ROUTE}${homeProvince}0010`;
  const stations: StationDef[] = [1, 2, 3, 4].map((seq) => ({
    id: `${section}${String(seq).padStart(2, '0')}0`,
    hex: `${NEIGHBOUR_NETWORK}02${String(seq).padStart(2, '0')}`,
    name: `测试陕西${ROUTE}${String(seq).padStart(2, '0')}站`,
    line: 0,
  }));
  const id = (i: number) => stations[i]?.id ?? '';
  const stretches: { section: string; province: string; s: Stretch }[] = [
    {
      section,
      province: NEIGHBOUR_PROVINCE,
      s: { from: id(0), to: id(1), km: 22, rate: 45, east: '0101', west: '0201' },
    },
    {
      section,
      province: NEIGHBOUR_PROVINCE,
      s: { from: id(1), to: id(2), km: 26, rate: 45, east: '0102', west: '0202' },
    },
    {
      section,
      province: NEIGHBOUR_PROVINCE,
      s: { from: id(2), to: id(3), km: 20, rate: 100, east: '0110', west: '0210' },
    },
    {
      section,
      province: NEIGHBOUR_PROVINCE,
      s: { from: id(3), to: BORDER_NODE, km: 25, rate: 100, east: '012F', west: '022F', border: true },
    },
    {
      section: homeSection,
      province: homeProvince,
      s: { from: BORDER_NODE, to: homeStation, km: 12, rate: 45, east: '0130', west: '0230', border: true },
    },
  ];
  const intervals: IntervalDef[] = [];
  const gantries: GantryDef[] = [];
  const seqIn = new Map<string, number>();
  for (const { section: sec, province, s } of stretches) {
    const seq = (seqIn.get(sec) ?? 0) + 1;
    seqIn.set(sec, seq);
    const lengthM = s.km * 1000;
    // Integer fen: km × home rate × (rate / 45), so class 1 is exactly km × rate.
    const fees = CLASS_CODES.map((c) => Math.round((s.km * ratePerKm(c) * s.rate) / 45));
    for (const dir of [1, 2] as const) {
      const iv = `${sec}${String(seq).padStart(3, '0')}${dir}0`;
      const [from, to] = dir === 1 ? [s.from, s.to] : [s.to, s.from];
      intervals.push({ id: iv, from, to, lengthM, fees, line: 0 });
      const hex = `${gantryPrefix(province)}${dir === 1 ? s.east : s.west}`;
      gantries.push({ id: `${iv}010`, hex, interval: iv, ...(s.border ? { border: true } : {}), line: 0 });
    }
  }
  return { stations, nodes: [{ id: BORDER_NODE, kind: 'boundary', line: 0 }], intervals, gantries };
}
