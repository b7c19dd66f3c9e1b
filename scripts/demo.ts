import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { TRAINING_VEHICLES } from '@tollpad/card/sim';
import { caPaths, issueServerCert } from '@tollpad/server-kit';
import { api } from './sim/http';
import { REPO_ROOT, startSystem } from './sim/processes';
import { startHandheldServer } from './sim/static-server';

/**
 * `npm start`: the whole demo on one machine — reference centre (synthetic province, TEST keys), station
 * (SQLite, demo accounts, pointing at the centre, embedded MQTT broker), lane simulator, and the handheld
 * PWA — then prints the URLs and the demo credentials. Everything here is TEST data.
 *
 * Env: DEMO_PORTS=0 (free ports everywhere, for tests), DEMO_DATA_DIR (./data/demo), DEMO_BUILD=0 (never
 * build the handheld), DEMO_VERBOSE=1 (print every process line).
 */
const free = process.env.DEMO_PORTS === '0';
const port = (fixed: number) => (free ? 0 : fixed);
const dataDir = resolve(process.env.DEMO_DATA_DIR ?? join(REPO_ROOT, 'data', 'demo'));
const verbose = process.env.DEMO_VERBOSE === '1';
const say = (line: string) => process.stdout.write(`${line}\n`);

// TEST card on the card status list (the handheld's 状态名单 training card, serial 666).
const STATUS_LIST_CARD = '99010000000000000666:1';

function buildHandheld(dist: string): boolean {
  if (existsSync(join(dist, 'index.html'))) return true;
  if (process.env.DEMO_BUILD === '0') return false;
  say('构建手持机页面 (npm run build -w @tollpad/handheld) …');
  const r = spawnSync('npm', ['run', 'build', '-w', '@tollpad/handheld'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  return r.status === 0 && existsSync(join(dist, 'index.html'));
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const dist = join(REPO_ROOT, 'apps', 'handheld', 'dist');
  const built = buildHandheld(dist);
  say('启动 中心 → 收费站 → 车道模拟器 …');
  const sys = await startSystem({
    dataDir,
    centrePort: port(8090),
    stationPort: port(8080),
    laneControlPort: port(8091),
    mqttPort: port(1883),
    seedCardEntries: STATUS_LIST_CARD,
    stationTls: true,
    onLine: (proc, line) => {
      if (verbose || (proc === 'lane-sim' && /显示屏|道闸/.test(line))) say(`[${proc}] ${line}`);
    },
  });
  // The page server's certificate comes from the station CA too: a phone trusts one CA for both.
  const stationCa = sys.stationCaFile ? caPaths(dirname(sys.stationCaFile)) : undefined;
  const ca = stationCa
    ? { cert: readFileSync(stationCa.cert, 'utf8'), key: readFileSync(stationCa.key, 'utf8') }
    : undefined;
  const pageTls = ca
    ? { identity: await issueServerCert(ca, { hosts: ['localhost', '127.0.0.1'] }), stationCa: ca.cert }
    : undefined;
  const handheld = built
    ? await startHandheldServer(dist, sys.stationUrl, port(8088), undefined, pageTls)
    : undefined;
  // 绿通 training vehicle on the centre's green-channel list (idempotent: the last change per key wins).
  for (const v of TRAINING_VEHICLES.filter((x) => x.greenChannel)) {
    await api(sys.centreUrl, 'POST', '/lists/vehicle-green/changes', {
      body: { changes: [{ key: `${v.plate}_${v.colour}`, type: 1, action: 'add' }] },
    });
  }
  await api(sys.centreUrl, 'POST', '/lists/vehicle-green/cut');

  const stop = async () => {
    await handheld?.close();
    await sys.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  const lines = [
    '',
    'tollpad 演示 (TEST 数据 · synthetic province · TEST keys)',
    '',
    `  手持机 handheld     ${handheld ? `${handheld.url}/` : '(未构建: npm run build -w @tollpad/handheld)'}`,
    `  收费站 station API  ${sys.stationUrl}/docs`,
    `  省中心 centre API   ${sys.centreUrl}/docs`,
    `  车道模拟 lane-sim   ${sys.laneSimUrl}/lanes`,
    `  演示 CA (TEST)      ${sys.stationCaFile ?? '(HTTP)'}`,
    '    手机信任: 把此 CA 文件传到手机 → 设置 › 安全 › 安装证书 (Android: CA 证书; iOS: 安装描述文件后在',
    '    通用 › 关于本机 › 证书信任设置 中开启完全信任)。命令行: TOLLPAD_STATION_CA=<此文件> npm run trip …',
    '    Phone: copy this CA file to the phone and install it as a trusted CA (TEST only; remove after the demo).',
    `  MQTT               ${sys.mqttUrl}`,
    `  监控 lanes/outbox   ${sys.stationUrl}/linkage/lanes · /outbox · /sync/status · /metrics`,
    '',
    '  演示账号 (TEST)     收费员 demo-collector / demo-collector-TEST   (终端 HH-DEMO-01)',
    '                      班长   demo-monitor   / demo-monitor-TEST',
    '                      管理员 demo-admin     / demo-admin-TEST',
    `  车道 lane           ${sys.laneId} (收费站 ${sys.stationId})`,
    `  运行时 runtime      Node ${process.version} (${process.execPath})`,
    '',
    '  训练车辆 (npm run trip -- <id> [--no-exit]):',
    ...TRAINING_VEHICLES.map((v) => `    ${v.id.padEnd(15)} ${v.label}`),
    '',
    '  tollpad 词汇讲解: npm run explain -- demo',
    '',
    'tollpad demo ready (Ctrl+C 退出)',
  ];
  for (const l of lines) say(l);
}

main().catch((e: unknown) => {
  process.stderr.write(`演示启动失败：${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
