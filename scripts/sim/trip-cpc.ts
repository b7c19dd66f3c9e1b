import { bytesToHex, CardError, CpcExit, type CpcFiles, decodeCpcFiles, pollingWaiter } from '@tollpad/card';
import {
  cpcFilesAsRead,
  issueTrainingCpcImages,
  type TrainingCpcPath,
  type TrainingCpcSpec,
  VirtualCpc,
  VirtualReader,
} from '@tollpad/card/sim';
import { formatPassId } from '@tollpad/domain';
import type {
  CommitResult,
  CpcRead,
  DebitIntentResult,
  ExitTransaction,
  StoredImage,
} from '@tollpad/station-api';
import type { Network } from '@tollpad/tariff';
import { postTripEvidence } from './evidence';
import type { SimHandheld } from './handheld';
import { ApiError, api } from './http';
import { testPng } from './test-png';
import { planTrip, postPassages, type TripPlan } from './trip';
import { paybackArrears } from './trip-arrears';
import { inspectGreenLoad } from './trip-green';

/**
 * A training CPC's trip on the synthetic province (TEST data): the planned path (planTrip, @tollpad/tariff's
 * one trip planner), each gantry with its province byte and its interval's fee and length for the class, the PassID of a CPC (02 0000 CPC ID entry time), and the card
 * written through the synthetic entry and gantries (`issueTrainingCpcImages`). A vehicle from another
 * province enters at its station when the tariff holds it (the neighbour province, the national table's
 * slice): the path crosses the border gantries and each gantry writes its own province's EF04 block.
 */
export interface CpcTrip {
  readonly plan: TripPlan;
  readonly path: TrainingCpcPath;
  /** Whole file images (what a VirtualCpc holds). */
  readonly images: CpcFiles;
}

export function planCpcTrip(
  net: Network,
  spec: TrainingCpcSpec,
  o: { exitStationId: string; exitTime: Date },
): CpcTrip {
  const foreignEntry = spec.otherProvince?.entryStationHex;
  const planned = planTrip(net, {
    exitStationId: o.exitStationId,
    offset: spec.entryOffset,
    ...(foreignEntry && net.stationByHex.has(foreignEntry) ? { entryStationHex: foreignEntry } : {}),
    vehicleClass: spec.vehicleClass,
    entryTime: new Date(o.exitTime.getTime() - spec.entryHoursAgo * 3_600_000),
    exitTime: o.exitTime,
    cardNumber: '00000000000000000000', // replaced by the CPC's PassID below
  });
  const plan = {
    ...planned,
    passId: formatPassId({ media: 'cpc', cpcId: spec.cpcId, entryTime: planned.entryTime }),
  };
  const path: TrainingCpcPath = {
    entryStationHex: plan.entryStationHex,
    entryTime: plan.entryTime,
    // The shared planner's passes are what the gantry writer takes (province byte, fee, length, border).
    passes: plan.passes,
  };
  return { plan, path, images: issueTrainingCpcImages(spec, path) };
}

/** The lines the trip CLI prints for a written CPC: its files as an exit reads them and what they say. */
export function describeCpc(images: CpcFiles): string[] {
  const read = cpcFilesAsRead(images);
  const card = decodeCpcFiles(read);
  const yuan = (fen: number) => (fen / 100).toFixed(2);
  return [
    `CPC ${card.sys.cpcId}  发行方 ${card.sys.issuer}  电量 ${card.base.batteryPercent}%${card.base.batteryLow ? '（低电）' : ''}`,
    `  入口 ${card.entry.station} 车道 ${card.entry.lane} ${card.entry.entryTime?.toISOString() ?? '无'}  ${card.entry.plate} 车型 ${card.entry.vehicleClass.raw}`,
    `  省份数 ${card.pass.provinceCount}  本省门架 ${card.pass.gantries.join(' ') || '无'}`,
    ...card.blocks.map((b, i) =>
      b.empty
        ? `  计费块${i + 1}：空（路径不完整）`
        : `  计费块${i + 1}：省份 ${b.province.toString(16).toUpperCase()} 门架 ${b.gantryCount} 个 ${yuan(b.fee)}元 ${b.mileageM} m  ${b.entryGantry}→${b.latestGantry}${b.fitFailed ? ' 拟合失败' : ''}`,
    ),
    `  卡内合计 ${yuan(card.blocks.reduce((a, b) => a + b.fee, 0))}元`,
    ...(['sysInfo', 'baseInfo', 'entry', 'pass', 'feeBlocks'] as const).map(
      (f) => `  ${f.padEnd(9)} ${bytesToHex(read[f]) || '（无）'}`,
    ),
  ];
}

export interface CpcExitOutcome {
  readonly txnId: string;
  readonly tradeId: string;
  readonly fee: number;
  readonly cardWrite: 'written' | 'not-written';
  readonly record: CommitResult['record'];
}

/**
 * The CPC exit a handheld does, over the station's HTTP API (TEST): read the virtual CPC through the card
 * layer's CpcExit, 【读卡】 `POST /exits { laneId, cpc }`, image, fee (a monitor approves when asked), the
 * cash payment the collector confirms, the exit write (close), 【提交数据】 with the write's outcome.
 * A damaged card fails the read: the collector goes to the bad-card flow, which this does not drive.
 */
export async function cpcExit(
  hh: SimHandheld,
  spec: TrainingCpcSpec,
  images: CpcFiles,
  o: {
    approve?: () => Promise<string>;
    say: (line: string) => void;
    /** The entry the driver states when the station finds none on the card (8-hex or 14-char station). */
    statedEntry?: string;
    /**
     * The payment step instead of exact cash (e.g. a QR payment followed to its end): the trade ID of the paid
     * intent, or null when the vehicle did not pay (the exit is then neither written nor committed here).
     */
    pay?: (txnId: string, fee: number) => Promise<{ tradeId: string } | null>;
  },
): Promise<CpcExitOutcome | null> {
  const reader = new VirtualReader('cpc');
  reader.insert(new VirtualCpc(images, { damaged: spec.faults?.damaged ?? false }));
  const exit = new CpcExit({
    card: reader,
    psam: await hh.openPsam(),
    waiter: pollingWaiter({ attempts: 1, intervalMs: 0 }),
  });
  let files: CpcFiles;
  try {
    files = await exit.read();
  } catch (e) {
    if (!(e instanceof CardError)) throw e;
    o.say(`读CPC失败：${e.messageZh}（${e.code}）— 按坏卡处理，转无卡流程`);
    return null;
  }
  const cpc: CpcRead = {
    sysInfo: bytesToHex(files.sysInfo),
    baseInfo: bytesToHex(files.baseInfo),
    entry: bytesToHex(files.entry),
    pass: bytesToHex(files.pass),
    feeBlocks: bytesToHex(files.feeBlocks),
  };
  const created = await hh.call<ExitTransaction>('POST', '/exits', { laneId: hh.opts.laneId, cpc });
  const txnId = created.id;
  for (const s of created.checks.specials) o.say(`  特情 ${s.code} ${s.description}`);
  for (const a of created.checks.actions) o.say(`  提示：${a}`);
  const photo = await api<StoredImage>(hh.opts.stationUrl, 'POST', '/images', {
    token: hh.token,
    raw: { data: testPng(), type: 'image/png' },
  });
  await hh.call<ExitTransaction>('POST', `/exits/${txnId}/image`, {
    plate: spec.plate,
    plateColour: spec.colour,
    photoSha256: photo.sha256,
  });
  // An arrears car (arrears-* ids): the plate hits the chase list; its payback is taken apart from the toll.
  if (spec.arrears) await paybackArrears(hh, txnId, spec, o.say);
  // A green truck (green-* ids): its load is inspected first; a pass is priced as kind 21 (free).
  const greenPass = spec.green ? await inspectGreenLoad(hh, txnId, spec, o.say) : false;
  const feeBody = { vehicleClass: spec.vehicleClass, vehicleKind: greenPass ? 21 : 0 };
  let priced = await hh.call<ExitTransaction>('POST', `/exits/${txnId}/fee`, feeBody).catch((e: unknown) => {
    // No usable entry on the card (e.g. another province's station): the collector asks the driver.
    const code = e instanceof ApiError ? (e.body as { code?: string } | null)?.code : undefined;
    if (code !== 'STN_ERR_EXIT_ENTRY_REQUIRED' || !o.statedEntry) throw e;
    o.say(`  司机所述入口 ${o.statedEntry}`);
    return hh.call<ExitTransaction>('POST', `/exits/${txnId}/fee`, {
      ...feeBody,
      entryStation: o.statedEntry,
    });
  });
  if (priced.authorisation.status === 'required') {
    if (!o.approve) throw new Error(`交易需班长授权：${JSON.stringify(priced.authorisation)}`);
    const monitorToken = await o.approve();
    await api(hh.opts.stationUrl, 'POST', `/exits/${txnId}/authorisation`, {
      token: monitorToken,
      body: { approve: true, reason: '演示授权 (TEST)' },
    });
    priced = await hh.call<ExitTransaction>('GET', `/exits/${txnId}`);
  }
  const fee = priced.fee;
  if (!fee) throw new Error(`交易 ${txnId} 未计费（${priced.state}）`);
  o.say(`  计费 ${(fee.fee / 100).toFixed(2)}元  exitFeeType ${fee.exitFeeType}  支付 ${fee.payment}`);
  if (!fee.payable) {
    o.say(`  不可支付：${fee.notPayableReason ?? '未说明'}`);
    return null;
  }
  const intent =
    fee.fee === 0
      ? // A free exit (a passed 绿通查验…): nothing is taken.
        await hh.call<DebitIntentResult>('POST', `/exits/${txnId}/debit-intent`, {
          payment: 'free',
          amount: 0,
        })
      : o.pay
        ? await o.pay(txnId, fee.fee)
        : await hh.call<DebitIntentResult>('POST', `/exits/${txnId}/debit-intent`, {
            payment: 'cash',
            amount: fee.fee,
          });
  if (!intent) return null;
  if (!o.pay) o.say(`  现金已确认 ${(fee.fee / 100).toFixed(2)}元  交易编号 ${intent.tradeId}`);
  const closed = await exit.close();
  o.say(`  写卡（关闭CPC）：${closed.outcome === 'written' ? '成功' : `失败 ${closed.reason ?? ''}`}`);
  const committed = await hh.call<CommitResult>('POST', `/exits/${txnId}/commit`, {
    tradeId: intent.tradeId,
    cardWrite: closed.outcome,
    ...(closed.reason ? { reason: closed.reason } : {}),
  });
  return {
    txnId,
    tradeId: intent.tradeId,
    fee: fee.fee,
    cardWrite: closed.outcome,
    record: committed.record,
  };
}

/**
 * `npm run trip -- cpc-…`: write the training CPC through its entry and gantries, report the local passages
 * to the centre, show the vehicle at the exit lane's camera and (unless `exit` is false) do the handheld's
 * CPC exit through the station.
 */
export async function runCpcTrip(o: {
  spec: TrainingCpcSpec;
  net: Network;
  exitStationId: string;
  laneId: string;
  centre: string;
  laneSim: string;
  exit: boolean;
  handheld: () => Promise<SimHandheld>;
  approve: () => Promise<string>;
  say: (line: string) => void;
}): Promise<number> {
  const { spec, say } = o;
  const trip = planCpcTrip(o.net, spec, { exitStationId: o.exitStationId, exitTime: new Date() });
  const { plan } = trip;
  if (spec.otherProvince && plan.entryStationHex !== spec.otherProvince.entryStationHex)
    say(
      `外省入口 ${spec.otherProvince.name} ${spec.otherProvince.entryStationHex}（费率表无此站），经本省 ${plan.entryStationId} 进入`,
    );
  else say(`入口 ${plan.entryStationId} (${plan.entryStationHex}) ${plan.entryTime.toISOString()}`);
  say(`PassID ${plan.passId}`);
  await postPassages(o.centre, plan, spec.vehicleClass, spec.plate);
  // The entry lane's capture and the gantry photos, as for an ETC trip: the evidence the exit's 【通行路径】
  // shows (#22). Best effort: a centre without them still takes the trip.
  await postTripEvidence(o.centre, plan, spec.plate, spec.colour).then(
    () => say('入口抓拍与门架照片已上传中心'),
    (e: unknown) => say(`入口抓拍与门架照片未上传：${e instanceof Error ? e.message : String(e)}`),
  );
  for (const p of trip.path.passes)
    say(`  门架 ${p.gantryHex} ${p.time.toISOString()} ${(p.fee / 100).toFixed(2)}元`);
  for (const line of describeCpc(trip.images)) say(line);
  await api(o.laneSim, 'POST', '/vehicle', {
    body: { laneId: o.laneId, plate: spec.plate, plateColour: spec.colour },
  });
  say(`到达出口车道 ${o.laneId}：${spec.plate}（${spec.label}）`);
  if (!o.exit) return 0;
  // A tariff without the card's entry station makes the station ask: the driver names where the trip began
  // as far as this tariff knows it (the local station where it crossed in).
  const out = await cpcExit(await o.handheld(), spec, trip.images, {
    approve: o.approve,
    say,
    statedEntry: plan.entryStationHex,
  });
  if (!out) return 0;
  say(
    `收费 ${(out.fee / 100).toFixed(2)}元  交易编号 ${out.tradeId}  写卡 ${out.cardWrite === 'written' ? '成功' : '失败'}  收回CPC卡`,
  );
  return 0;
}
