import {
  describeSpecial,
  formatPassId,
  formatYuan,
  isPlateColour,
  parseExitTradeId,
  parseLaneId,
  parsePassId,
  parseSpecialTypes,
  parseStationId,
  plateColourName,
  type Result,
  toIsoBeijing,
  VEHICLE_CLASSES,
  validatePlate,
  yuanToFen,
} from '@tollpad/domain';

/** Explanations the `tollpad` CLI prints; pure functions returning lines, so they are testable. */
export type Lines = { ok: boolean; lines: string[] };

function failed(r: Result<unknown> & { ok: false }): Lines {
  return { ok: false, lines: [`错误 ${r.error.code} [${r.error.field}]: ${r.error.reason}`] };
}

export function explainPlate(plate: string, colourText: string): Lines {
  const colour = Number(colourText);
  const r = validatePlate(plate, colour);
  if (!r.ok) return failed(r);
  const name = isPlateColour(colour) ? plateColourName(colour) : '';
  return { ok: true, lines: [`有效：${r.value.plate}_${colour}（${name}色，${r.value.form}）`] };
}

/** Recognises a lane/station ID, an exit trade ID or a PassID by its length and prefix. */
export function explainId(text: string): Lines {
  if (text.length === 37) {
    const r = parseExitTradeId(text);
    if (!r.ok) return failed(r);
    const v = r.value;
    return {
      ok: true,
      lines: [
        `出口交易编号 ${text}`,
        `  车道 ${v.laneId}（收费站 ${v.lane.stationId}，广场 ${v.lane.plazaId}，车道序号 ${v.lane.laneSeq}）`,
        `  批次 ${v.batch}，批次内流水 ${v.serial}`,
      ],
    };
  }
  if (text.length === 21) {
    const r = parseLaneId(text);
    if (!r.ok) return failed(r);
    const v = r.value;
    return {
      ok: true,
      lines: [
        `车道 ${text}`,
        `  路线 ${v.route}，省份 ${v.province}，路段 ${v.sectionId}`,
        `  收费站 ${v.stationId}，广场 ${v.plazaId}（类型 ${v.plazaType}），车道序号 ${v.laneSeq}`,
      ],
    };
  }
  if (text.length === 14) {
    const r = parseStationId(text);
    if (!r.ok) return failed(r);
    return {
      ok: true,
      lines: [`收费站 ${text}：路线 ${r.value.route}，省份 ${r.value.province}，路段 ${r.value.sectionId}`],
    };
  }
  const r = parsePassId(text);
  if (!r.ok) return failed(r);
  const v = r.value;
  const detail =
    v.media === 'card'
      ? `卡 ${v.cardNetwork}${v.cardNo}，入口时间 ${toIsoBeijing(v.entryTime)}`
      : 'entryTime' in v
        ? `介质 ${v.media}，入口时间 ${toIsoBeijing(v.entryTime)}`
        : `介质 ${v.media}，出口时间 ${toIsoBeijing(v.exitTime)}`;
  return { ok: true, lines: [`PassID ${formatPassId(v)}`, `  ${detail}`] };
}

export function explainSpecials(text: string): Lines {
  const r = parseSpecialTypes(text);
  if (!r.ok) return failed(r);
  return { ok: true, lines: r.value.map((c) => `${c}\t${describeSpecial(c)}`) };
}

export function explainYuan(text: string): Lines {
  const r = yuanToFen(text);
  if (!r.ok) return failed(r);
  return { ok: true, lines: [`${r.value} 分 = ${formatYuan(r.value)} 元`] };
}

export function listClasses(): Lines {
  return {
    ok: true,
    lines: VEHICLE_CLASSES.map((c) => `${String(c.code).padStart(2)}  ${c.name}  ${c.definition}`),
  };
}
