import { CodecError, type CpcCard, type CpcTimeBase, decodeCpcFiles, hexToBytes } from '@tollpad/card';
// The CPC's lengths and limits are the domain's (cpc-card.md §2), named here as this file uses them.
import {
  CPC_FEE_BLOCK_LENGTH as CPC_FEE_BLOCK_BYTES,
  CPC_MAX_PROVINCES as CPC_MAX_FEE_BLOCKS,
  describeSpecial,
  formatVehicleId,
  CPC_READ_LENGTHS as LENGTHS,
  SPECIAL,
} from '@tollpad/domain';
import type { CpcRead, ListHit, SpecialNote } from '@tollpad/station-api';
import { StationError } from '../../../errors';
import type { StatusLists } from '../../../ports/status-lists';
import { arrearsSpecial } from '../../arrears-lookup.service';
import type { KnownNetwork, MediumChecks } from '../exit-parts';

export interface CpcCheckOptions {
  /**
   * [P] Issuer areas (MF/EF01 bytes 0–3, the GBK province name, e.g. B8CACBE0 甘肃) whose CPCs are valid here
   * (cpc-card.md §5.1 "发行属地"); configurable. Empty: every area is accepted.
   */
  validAreas: readonly string[];
  /** [I, unverified] The base of the card's UNIX seconds (cpc-card.md "Card times"), a province setting. */
  timeBase: CpcTimeBase;
}

const FILE_NAMES: Record<keyof CpcRead, string> = {
  sysInfo: 'MF/EF01',
  baseInfo: 'MF/EF02',
  entry: 'DF01/EF01',
  pass: 'DF01/EF02',
  feeBlocks: 'DF01/EF04',
};

/** A CPC the station cannot use: the collector treats it as a bad card (cpc-card.md §5.4). */
function unreadable(file: string, offset: number, reason: string): StationError {
  return new StationError('STN_ERR_EXIT_CPC_UNREADABLE', `${file} @${offset}: ${reason}`);
}

function bytesOf(input: CpcRead, key: keyof CpcRead): Uint8Array {
  const hex = input[key];
  if (hex.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(hex))
    throw unreadable(FILE_NAMES[key], 0, 'not whole bytes of hex');
  const bytes = hexToBytes(hex);
  if (key === 'feeBlocks') {
    if (bytes.length % CPC_FEE_BLOCK_BYTES !== 0 || bytes.length > CPC_MAX_FEE_BLOCKS * CPC_FEE_BLOCK_BYTES) {
      throw unreadable(
        FILE_NAMES[key],
        bytes.length - (bytes.length % CPC_FEE_BLOCK_BYTES),
        `${bytes.length} B is not 0..${CPC_MAX_FEE_BLOCKS} blocks of ${CPC_FEE_BLOCK_BYTES} B`,
      );
    }
  } else if (bytes.length !== LENGTHS[key]) {
    throw unreadable(
      FILE_NAMES[key],
      Math.min(bytes.length, LENGTHS[key]),
      `${bytes.length} B, expected ${LENGTHS[key]}`,
    );
  }
  return bytes;
}

/**
 * The five files as read, decoded with the card package's codecs (never the handheld's own decoding). Every
 * refusal is STN_ERR_EXIT_CPC_UNREADABLE naming the file, the offset and the reason.
 */
export function decodeCpc(input: CpcRead, opts: Pick<CpcCheckOptions, 'timeBase'>): CpcCard {
  const files = {
    sysInfo: bytesOf(input, 'sysInfo'),
    baseInfo: bytesOf(input, 'baseInfo'),
    entry: bytesOf(input, 'entry'),
    pass: bytesOf(input, 'pass'),
    feeBlocks: bytesOf(input, 'feeBlocks'),
  };
  try {
    return decodeCpcFiles(files, { timeBase: opts.timeBase });
  } catch (e) {
    if (e instanceof CodecError) throw unreadable(e.file, e.offset, e.reason);
    throw e;
  }
}

/** Gantry HEX a gantry never writes: a path that holds one was not written by gantries. */
const NO_GANTRY = new Set(['000000', 'FFFFFF']);

/**
 * What the files say that no gantry writes: a card that fails here is refused as a bad card, not priced.
 * EF02's header and path are this province's (cpc-card.md §2.5): every gantry of it must be one the tariff
 * knows (when the tariff lists gantries at all); the fee blocks must not name a gantry that cannot exist.
 */
export function requirePlausibleCpc(card: CpcCard, network: KnownNetwork): void {
  card.pass.gantries.forEach((g, i) => {
    const hex = g.toUpperCase();
    if (NO_GANTRY.has(hex) || (network.gantryByHex.size > 0 && !network.gantryByHex.has(hex)))
      throw unreadable(FILE_NAMES.pass, 29 + 3 * i, `gantry ${hex} is not on this province's network`);
  });
  card.blocks.forEach((b, i) => {
    if (b.empty) return; // an empty block is an incomplete path (the fee's plausibility), not a bad card
    for (const [g, off] of [
      [b.entryGantry, 8],
      [b.latestGantry, 15],
    ] as const) {
      if (NO_GANTRY.has(g.toUpperCase()))
        throw unreadable(FILE_NAMES.feeBlocks, i * CPC_FEE_BLOCK_BYTES + off, `gantry ${g} cannot exist`);
    }
  });
}

const note = (code: number): SpecialNote => ({ code, description: describeSpecial(code) });

/**
 * The exit checks of cpc-card.md §5.1 on a decoded CPC: valid issuing area, a live entry from a known
 * station, battery. None of them blocks the exit (a CPC is paid otherwise than by the card): each is a
 * special on the record, and an entry that cannot be used makes 【算费】 ask for the stated entry.
 */
export function checkCpc(
  card: CpcCard,
  ctx: { network: KnownNetwork; lists: StatusLists },
  opts: CpcCheckOptions,
): MediumChecks {
  const { network } = ctx;
  const specials: SpecialNote[] = [];
  const listHits: ListHit[] = [];
  const actions: string[] = [];
  if (card.base.batteryLow) {
    specials.push(note(SPECIAL.CPC_BATTERY_LOW));
    actions.push('CPC卡电量过低：收回后单独存放，交班时上交');
  }
  if (opts.validAreas.length > 0 && !opts.validAreas.includes(card.sys.area.toUpperCase())) {
    specials.push(note(SPECIAL.CPC_ISSUER_AREA_INVALID));
    actions.push('CPC卡发行归属地异常：核实车辆通行情况');
  }
  if (!hasLiveEntry(card)) {
    // Byte 23 ≠ 01: never entered (00) or already closed by an exit (02).
    specials.push(note(SPECIAL.CARD_ENTRY_INVALID));
    actions.push('CPC卡无有效入口信息：询问司机入口站，按入口站最小费额处理');
  } else if (!network.stationByHex.has(card.entry.station.toUpperCase())) {
    specials.push(note(SPECIAL.CPC_ENTRY_STATION_INVALID));
    actions.push('CPC卡入口站信息错误：询问司机入口站后计费');
  }
  // 39 (CPC卡状态异常) comes from a CPC grey list; the station holds card, OBU and vehicle lists only, and a
  // CPC list joins them with the lists work (issue #22), which adds its hit here.
  const colour = card.entry.plateColour.code;
  if (hasLiveEntry(card) && card.entry.plate !== '' && colour !== null) {
    const hit = ctx.lists.lookup('vehicle', formatVehicleId(card.entry.plate, colour));
    if (hit) {
      listHits.push(hit);
      // 118 追缴 (black) or 127 预追缴 (grey), by the list's type; the amounts come from GET /arrears.
      specials.push(note(arrearsSpecial(hit)));
      actions.push('车辆在追缴名单中：按规定另行补费');
    }
  }
  actions.push('请输入实际车牌、选择车牌颜色并拍照，然后【提交图片数据】');
  return {
    specials,
    listHits,
    suggested: {
      vehicleClass: hasLiveEntry(card) ? card.entry.vehicleClass.code : null,
      vehicleKind: card.entry.vehicleKind,
    },
    actions,
    blocked: false,
    needsRelease: false,
  };
}

/** DF01/EF01 byte 23 = 01: the entry switched the radio on and no exit has closed the card since. */
export function hasLiveEntry(card: CpcCard): boolean {
  return card.entry.radioControl === 1 && card.entry.entryTime !== null;
}

/** The entry the fee may use: a live entry from a station the tariff knows. */
export function usableEntry(card: CpcCard, network: KnownNetwork): { station: string; time: Date } | null {
  if (!hasLiveEntry(card) || card.entry.entryTime === null) return null;
  const station = card.entry.station.toUpperCase();
  return network.stationByHex.has(station) ? { station, time: card.entry.entryTime } : null;
}
