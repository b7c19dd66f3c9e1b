import {
  issueTestVehicleCard,
  TRAINING_CPC_VEHICLES,
  TRAINING_VEHICLES,
  trainingCpcSpec,
  trainingVehicleSpec,
} from '@tollpad/card/sim';
import type { Lane, LoginResult, StationErrorBody, StationInfo } from '@tollpad/station-api';
import { loadTariff } from '@tollpad/tariff';
import { useDemoCentreCredentials } from './sim/centre-link';
import { postTripEvidence } from './sim/evidence';
import { SimHandheld } from './sim/handheld';
import { ApiError, api, fetchFor } from './sim/http';
import { planTrip, postPassages } from './sim/trip';
import { runCpcTrip } from './sim/trip-cpc';
import { runNoCardTrip, TRAINING_NO_CARD_VEHICLES, trainingNoCardSpec } from './sim/trip-none';

/**
 * `npm run trip -- <vehicle> [--no-exit] [--station URL] [--centre URL] [--lane-sim URL]`
 * Sends a TEST training vehicle on a trip through the running demo: its card gets the entry written, the
 * gantries on its path report the passages to the centre, the exit lane's camera sees it, and (unless
 * --no-exit) a simulated handheld does the exit through the station — 【读卡】…【提交数据】, with the
 * demo monitor approving when asked. Prints what happened at each step.
 */
const say = (line: string) => process.stdout.write(`${line}\n`);

function args(argv: string[]) {
  const out: {
    id?: string;
    help?: boolean;
    unknown?: string;
    exit: boolean;
    station: string;
    centre: string;
    laneSim: string;
  } = {
    exit: true,
    // `npm start` serves the station over HTTPS; sim/http.ts trusts the demo CA (TOLLPAD_STATION_CA).
    station: 'https://127.0.0.1:8080',
    centre: 'https://127.0.0.1:8090',
    laneSim: 'http://127.0.0.1:8091',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-exit') out.exit = false;
    else if (a === '--station') out.station = argv[++i] ?? out.station;
    else if (a === '--centre') out.centre = argv[++i] ?? out.centre;
    else if (a === '--lane-sim') out.laneSim = argv[++i] ?? out.laneSim;
    else if (a === '--help' || a === '-h') out.help = true;
    else if (a?.startsWith('-')) out.unknown = a;
    else if (a) out.id = a;
  }
  return out;
}

const USAGE =
  '用法 usage: npm run trip -- <车辆 vehicle> [--no-exit] [--station URL] [--centre URL] [--lane-sim URL]';

function usage(): string[] {
  return [
    USAGE,
    '',
    '训练车辆 training vehicles:',
    ...TRAINING_VEHICLES.map((t) => `  ${t.id.padEnd(15)} ${t.label}`),
    '',
    'CPC训练车辆 training CPC vehicles:',
    ...TRAINING_CPC_VEHICLES.map((t) => `  ${t.id.padEnd(20)} ${t.label}`),
    '',
    '无卡训练车辆 training vehicles without a card:',
    ...TRAINING_NO_CARD_VEHICLES.map((t) => `  ${t.id.padEnd(20)} ${t.label}`),
  ];
}

/** A demo account's bearer token (TEST accounts of the demo seed). */
async function login(station: string, username: string, password: string): Promise<string> {
  const r = await api<LoginResult>(station, 'POST', '/auth/login', { body: { username, password } });
  if (!r.token) throw new Error('收费站未返回令牌');
  return r.token;
}

async function main(): Promise<number> {
  const o = args(process.argv.slice(2));
  if (o.help) {
    for (const l of usage()) say(l);
    return 0;
  }
  const v = o.id ? trainingVehicleSpec(o.id) : undefined;
  const cpc = o.id ? trainingCpcSpec(o.id) : undefined;
  const none = o.id ? trainingNoCardSpec(o.id) : undefined;
  if (!v && !cpc && !none) {
    const why = o.unknown ? `未知选项：${o.unknown}` : o.id ? `未知车辆：${o.id}` : '请指定车辆';
    process.stderr.write(`${[why, ...usage()].join('\n')}\n`);
    return 2;
  }
  useDemoCentreCredentials(o.centre);
  const token = await login(o.station, 'demo-admin', 'demo-admin-TEST');
  const station = await api<StationInfo>(o.station, 'GET', '/config/station', { token });
  const lanes = await api<Lane[]>(o.station, 'GET', '/config/lanes', { token });
  const laneId = lanes.find((l) => l.handheldEnabled)?.id;
  if (!laneId) throw new Error('演示收费站没有启用联动的车道');
  const net = loadTariff(await (await fetchFor(o.centre)(`${o.centre}/tariffs/current`)).text());
  if (!net.ok) throw new Error('中心费率无法加载');
  const approve = () => login(o.station, 'demo-monitor', 'demo-monitor-TEST');
  const handheld = () =>
    SimHandheld.login({
      stationUrl: o.station,
      centreUrl: o.centre,
      username: 'demo-collector',
      password: 'demo-collector-TEST',
      terminalId: 'HH-DEMO-01',
      psamTerminalNo: '0151000119F8',
      laneId,
    });
  if (none) {
    return runNoCardTrip({
      centre: o.centre,
      laneSim: o.laneSim,
      exit: o.exit,
      spec: none,
      net: net.value,
      exitStationId: station.stationId,
      laneId,
      handheld,
      approve,
      say,
    });
  }
  if (cpc) {
    return runCpcTrip({
      centre: o.centre,
      laneSim: o.laneSim,
      exit: o.exit,
      spec: cpc,
      net: net.value,
      exitStationId: station.stationId,
      laneId,
      handheld,
      approve,
      say,
    });
  }
  if (!v) return 2;

  const now = new Date();
  const cardNumber = issueTestVehicleCard(v, null).cardNumber;
  let entry: { stationHex: string; time: Date } | null = null;
  if (v.entryOffset !== null) {
    const plan = planTrip(net.value, {
      exitStationId: station.stationId,
      offset: v.entryOffset,
      vehicleClass: v.vehicleClass,
      entryTime: new Date(now.getTime() - v.entryHoursAgo * 3600_000),
      exitTime: now,
      cardNumber,
    });
    entry = { stationHex: plan.entryStationHex, time: plan.entryTime };
    say(
      `入口 ${plan.entryStationId} (${plan.entryStationHex}) ${plan.entryTime.toISOString()}  PassID ${plan.passId}`,
    );
    await postPassages(o.centre, plan, v.vehicleClass, v.actualPlate ?? v.plate);
    // The entry lane's capture and the gantry photos: evidence the exit's path shows (#22). Best effort: a
    // centre without them still takes the trip.
    await postTripEvidence(o.centre, plan, v.actualPlate ?? v.plate, v.colour).then(
      () => say('入口抓拍与门架照片已上传中心'),
      (e: unknown) => say(`入口抓拍与门架照片未上传：${e instanceof Error ? e.message : String(e)}`),
    );
    for (const g of plan.gantries) say(`  门架 ${g.id} ${g.time.toISOString()}`);
  } else {
    say('无入口信息（卡内未写入口）');
  }
  const card = issueTestVehicleCard(v, entry);
  await api(o.laneSim, 'POST', '/vehicle', {
    body: { laneId, plate: v.actualPlate ?? v.plate, plateColour: v.colour },
  });
  say(`到达出口车道 ${laneId}：${v.actualPlate ?? v.plate}（${v.label}）`);
  if (!o.exit) return 0;

  const hh = await handheld();
  const out = await hh.exit(v, card, { approve });
  say(`扣费 ${(out.fee / 100).toFixed(2)}元  交易编号 ${out.tradeId}`);
  for (let i = 0; i < 50; i++) {
    const r = await api<{ ack: { tacStatus: string } }>(o.centre, 'GET', `/records/${out.tradeId}`).catch(
      () => null,
    );
    if (r) {
      say(`中心已接收，TAC ${r.ack.tacStatus === 'verified' ? '验证通过' : r.ack.tacStatus}`);
      return 0;
    }
    await new Promise((ok) => setTimeout(ok, 200));
  }
  say('中心尚未收到（已在收费站待上传队列中，将自动重传）');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof ApiError) {
      const b = e.body as Partial<StationErrorBody> | null;
      process.stderr.write(
        `收费站/中心拒绝：${b?.code ?? e.status} ${b?.message ?? ''} ${b?.detail ?? ''}\n`,
      );
    } else process.stderr.write(`行程失败：${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
