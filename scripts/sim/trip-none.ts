import type {
  CommitResult,
  DebitIntentResult,
  ExitTransaction,
  NoCardRead,
  StoredImage,
} from '@tollpad/station-api';
import type { Network } from '@tollpad/tariff';
import { postTripEvidence } from './evidence';
import type { SimHandheld } from './handheld';
import { api } from './http';
import { testPng } from './test-png';
import { planTrip, postPassages } from './trip';

/**
 * Training vehicles without a usable card (issue #22, cpc-card.md §5.4), all TEST data: each one's plate, why it
 * has no card, what the driver says, and whether the centre has seen its trip (gantry passages and an
 * entry-lane capture posted before the exit, so the fee comes from the plate).
 */
export interface TrainingNoCardSpec {
  id: string;
  label: string;
  plate: string;
  colour: number;
  vehicleClass: number;
  reason: NoCardRead['reason'];
  /** The centre holds the plate's trip (passages + capture): the online fee by plate. */
  seenByCentre: boolean;
  /** The driver states the planned entry (its HEX). */
  statesEntry: boolean;
  /** The driver refuses to state an entry. */
  refuses: boolean;
  /** A damaged CPC whose label ID is legible (TEST). */
  cpcId?: string;
}

export const TRAINING_NO_CARD_VEHICLES: readonly TrainingNoCardSpec[] = [
  {
    id: 'none-seen',
    label: '无卡，省中心有该车牌门架记录（按车牌在线计费）',
    plate: '鲁A81001',
    colour: 0,
    vehicleClass: 1,
    reason: 'no-card',
    seenByCentre: true,
    statesEntry: false,
    refuses: false,
  },
  {
    id: 'none-stated',
    label: '丢卡，省中心无记录，司机告知入口（最短路径＋卡成本）',
    plate: '鲁A81002',
    colour: 0,
    vehicleClass: 1,
    reason: 'lost',
    seenByCentre: false,
    statesEntry: true,
    refuses: false,
  },
  {
    id: 'none-refused',
    label: '无卡，司机拒绝告知入口（最远路径）',
    plate: '鲁A81003',
    colour: 0,
    vehicleClass: 1,
    reason: 'no-card',
    seenByCentre: false,
    statesEntry: false,
    refuses: true,
  },
  {
    id: 'none-damaged',
    label: '坏卡，卡面编号可辨（mediaType 2，特情35，卡成本）',
    plate: '鲁A81004',
    colour: 0,
    vehicleClass: 1,
    reason: 'damaged',
    seenByCentre: false,
    statesEntry: true,
    refuses: false,
    cpcId: '3701990000009904',
  },
];

export function trainingNoCardSpec(id: string): TrainingNoCardSpec | undefined {
  return TRAINING_NO_CARD_VEHICLES.find((v) => v.id === id);
}

/**
 * `npm run trip -- none-…`: plan the vehicle's trip (3 stations back), report its passages and entry capture to
 * the centre when the centre is to know it, show it at the exit lane, and (unless `exit` is false) do the
 * handheld's no-card exit through the station: 【无卡登记】 → photo → 【算费】 (the monitor approving when asked)
 * → cash → 【提交数据】 with no card write.
 */
export async function runNoCardTrip(o: {
  spec: TrainingNoCardSpec;
  net: Network;
  exitStationId: string;
  laneId: string;
  centre: string;
  laneSim: string;
  exit: boolean;
  handheld: () => Promise<SimHandheld>;
  approve: () => Promise<string>;
  say: (line: string) => void;
  /** The committed record (tests read it). */
  onRecord?: (record: CommitResult['record']) => void;
}): Promise<number> {
  const { spec, say } = o;
  const now = new Date();
  const plan = planTrip(o.net, {
    exitStationId: o.exitStationId,
    offset: 3,
    vehicleClass: spec.vehicleClass,
    entryTime: new Date(now.getTime() - 2 * 3_600_000),
    exitTime: now,
    cardNumber: '00000000000000000000',
  });
  say(`实际入口 ${plan.entryStationId} (${plan.entryStationHex})  ${spec.label}`);
  if (spec.seenByCentre) {
    await postPassages(o.centre, plan, spec.vehicleClass, spec.plate);
    await postTripEvidence(o.centre, plan, spec.plate, spec.colour).then(
      () => say('门架通行记录与入口抓拍已上传中心'),
      (e: unknown) => say(`入口抓拍未上传：${e instanceof Error ? e.message : String(e)}`),
    );
  } else say('省中心无该车牌的通行记录');
  await api(o.laneSim, 'POST', '/vehicle', {
    body: { laneId: o.laneId, plate: spec.plate, plateColour: spec.colour },
  });
  say(`到达出口车道 ${o.laneId}：${spec.plate}`);
  if (!o.exit) return 0;

  const hh = await o.handheld();
  const none: NoCardRead = {
    reason: spec.reason,
    ...(spec.cpcId ? { cpcId: spec.cpcId } : {}),
    ...(spec.refuses ? { refused: true } : spec.statesEntry ? { statedEntry: plan.entryStationHex } : {}),
  };
  const created = await hh.call<ExitTransaction>('POST', '/exits', { laneId: o.laneId, none });
  const txnId = created.id;
  for (const a of created.checks.actions) say(`  提示：${a}`);
  const photo = await api<StoredImage>(hh.opts.stationUrl, 'POST', '/images', {
    token: hh.token,
    raw: { data: testPng(), type: 'image/png' },
  });
  await hh.call<ExitTransaction>('POST', `/exits/${txnId}/image`, {
    plate: spec.plate,
    plateColour: spec.colour,
    photoSha256: photo.sha256,
  });
  let priced = await hh.call<ExitTransaction>('POST', `/exits/${txnId}/fee`, {
    vehicleClass: spec.vehicleClass,
    vehicleKind: 0,
  });
  const decision = (priced.fee?.decision ?? {}) as { trace?: { rule: string; text: string }[] };
  const trace = (decision.trace ?? []).filter((t) => t.rule.startsWith('NOCARD.'));
  for (const t of trace) say(`  ${t.rule} ${t.text}`);
  if (priced.authorisation.status === 'required') {
    const monitorToken = await o.approve();
    await api(hh.opts.stationUrl, 'POST', `/exits/${txnId}/authorisation`, {
      token: monitorToken,
      body: { approve: true, reason: '演示授权 (TEST)' },
    });
    priced = await hh.call<ExitTransaction>('GET', `/exits/${txnId}`);
    say('  班长已授权');
  }
  const fee = priced.fee;
  if (!fee) throw new Error(`交易 ${txnId} 未计费（${priced.state}）`);
  const intent = await hh.call<DebitIntentResult>('POST', `/exits/${txnId}/debit-intent`, {
    payment: 'cash',
    amount: fee.fee,
  });
  const committed = await hh.call<CommitResult>('POST', `/exits/${txnId}/commit`, {
    tradeId: intent.tradeId,
    cardWrite: 'none',
  });
  o.onRecord?.(committed.record);
  const r = committed.record as {
    mediaType: number;
    cardCost?: number;
    feeRule?: string;
    specialType: string;
  };
  say(
    `收费 ${(fee.fee / 100).toFixed(2)}元（其中卡成本 ${((r.cardCost ?? 0) / 100).toFixed(2)}元）  exitFeeType ${fee.exitFeeType}  ${r.feeRule ?? ''}  mediaType ${r.mediaType}  特情 ${r.specialType}  交易编号 ${intent.tradeId}`,
  );
  return 0;
}
