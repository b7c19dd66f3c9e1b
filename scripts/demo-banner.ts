import { TEST_CODES } from '../apps/paygate/src/fixtures/test-codes';
import { DEMO_ACCOUNTS, DEMO_TERMINAL } from '../apps/station/src/seed';
import type { RunningPaygate } from './sim/processes';

/** What `npm start` prints once the demo is up: every URL, and whether opening it needs a login. */
export interface DemoEndpoints {
  /** Undefined when the handheld page is not built. */
  handheldUrl: string | undefined;
  stationUrl: string;
  centreUrl: string;
  laneSimUrl: string;
  /** The reference payment platform the station pays QR through; undefined when not started. */
  paygate: RunningPaygate | undefined;
  mqttUrl: string;
  /** The station CA file; undefined when the station serves plain HTTP. */
  stationCaFile: string | undefined;
  laneId: string;
  stationId: string;
  runtime: string;
  trainingVehicles: readonly { id: string; label: string }[];
  /** The training CPC vehicles (the handheld's training panel and the trip CLI). */
  trainingCpcs: readonly { id: string; label: string }[];
}

function account(role: (typeof DEMO_ACCOUNTS)[number]['role']) {
  const a = DEMO_ACCOUNTS.find((x) => x.role === role);
  if (!a) throw new Error(`no demo ${role}`);
  return a;
}

// The accounts and terminal the station's demo seed creates (TEST data).
const collector = { ...account('collector'), terminal: DEMO_TERMINAL.id };
const monitor = account('monitor');
const admin = account('admin');
const BEARER = `需登录 login: POST /auth/login 取 token, 请求带 Authorization: Bearer <token>`;

export function demoBanner(e: DemoEndpoints): string[] {
  const s = e.stationUrl;
  return [
    '',
    'tollpad 演示 (TEST 数据 · synthetic province · TEST keys)',
    '',
    `  手持机 handheld     ${e.handheldUrl ? `${e.handheldUrl}/` : '(未构建: npm run build -w @tollpad/handheld)'}`,
    `                      需登录 login: 收费员 ${collector.username} (终端 ${collector.terminal}); 监控页 班长 ${monitor.username}`,
    `  收费站 station API  ${s}/docs`,
    `                      文档无需登录 no login; 其余接口${BEARER}`,
    `  省中心 centre API   ${e.centreUrl}/docs`,
    '                      文档无需登录 no login; 其余接口凭收费站或发布方的客户端证书 (mutual TLS), 不用账号',
    `  车道模拟 lane-sim   ${e.laneSimUrl}/lanes   无需登录 no login`,
    ...(e.paygate
      ? [
          `  支付平台 paygate    ${e.paygate.url}/docs`,
          `                      文档无需登录 no login; /v1/* 凭商户签名 (收费站已配置 TEST 商户 ${e.paygate.merchantId}), 不用账号`,
          `                      TEST 付款码 (被扫, 每码一次): ${TEST_CODES.wechatPaid} 等 18 位 13… 码直接支付, 尾号 0002 需输密码, 0004 余额不足`,
          `                      支付平台 CA (TEST) ${e.paygate.caFile}`,
        ]
      : []),
    `  演示 CA (TEST)      ${e.stationCaFile ?? '(HTTP)'}`,
    '    手机信任: 把此 CA 文件传到手机 → 设置 › 安全 › 安装证书 (Android: CA 证书; iOS: 安装描述文件后在',
    '    通用 › 关于本机 › 证书信任设置 中开启完全信任)。命令行: TOLLPAD_STATION_CA=<此文件> npm run trip …',
    '    Phone: copy this CA file to the phone and install it as a trusted CA (TEST only; remove after the demo).',
    `  MQTT               ${e.mqttUrl}   需 MQTT 账号 (收费站与各车道各一个, 在演示数据目录 mqtt/ 下), 不是演示账号`,
    `  监控 monitoring     ${s}/linkage/lanes · ${s}/sync/status   ${BEARER} (任一演示账号 any demo account)`,
    `                      ${s}/outbox   ${BEARER} (班长 ${monitor.username} 或管理员 ${admin.username})`,
    `                      ${s}/metrics   本机无需登录 no login from this machine (其他机器: METRICS_TOKEN)`,
    '',
    `  演示账号 (TEST)     收费员 ${collector.username} / ${collector.password}   (终端 ${collector.terminal})`,
    `                      班长   ${monitor.username}   / ${monitor.password}`,
    `                      管理员 ${admin.username}     / ${admin.password}`,
    `  车道 lane           ${e.laneId} (收费站 ${e.stationId})`,
    `  运行时 runtime      ${e.runtime}`,
    '',
    '  训练车辆 (npm run trip -- <id> [--no-exit]):',
    ...e.trainingVehicles.map((v) => `    ${v.id.padEnd(20)} ${v.label}`),
    ...(e.trainingCpcs.length > 0
      ? [
          '',
          '  训练CPC车辆 (手持机【CPC卡交易】, 或 npm run trip -- <id>):',
          ...e.trainingCpcs.map((v) => `    ${v.id.padEnd(20)} ${v.label}`),
        ]
      : []),
    '',
    '  tollpad 词汇讲解: npm run explain -- demo',
    '',
    'tollpad demo ready (Ctrl+C 退出)',
  ];
}
