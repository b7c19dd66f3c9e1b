import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { TRAINING_CPC_VEHICLES, TRAINING_VEHICLES, trainingGreenListEntries } from '@tollpad/card/sim';
import { caPaths, envOnlyCommandLine, issueServerCert } from '@tollpad/server-kit';
import { demoBanner } from './demo-banner';
import { api } from './sim/http';
import { REPO_ROOT, startSystem } from './sim/processes';
import { startHandheldServer } from './sim/static-server';

/**
 * `npm start`: the whole demo on one machine — then prints the URLs, which of them need a login, and the
 * demo credentials (demo-banner.ts). Everything here is TEST data.
 */
const USAGE = `npm start — the whole demo on one machine: reference centre (synthetic province, TEST keys), station
(SQLite, demo accounts, pointing at the centre, embedded MQTT broker), reference payment platform (paygate,
TEST merchant), lane simulator and the handheld PWA

Usage: npm start [-- --help]

Environment
  DEMO_PORTS=0      free ports everywhere (tests)
  DEMO_DATA_DIR     data directory (default ./data/demo)
  DEMO_BUILD=0      never build the handheld page
  DEMO_VERBOSE=1    print every process line`;

envOnlyCommandLine(process.argv.slice(2), USAGE);
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
  say('启动 中心 → 支付平台 → 收费站 → 车道模拟器 …');
  const sys = await startSystem({
    dataDir,
    centrePort: port(8090),
    stationPort: port(8080),
    laneControlPort: port(8091),
    mqttPort: port(1883),
    seedCardEntries: STATUS_LIST_CARD,
    stationTls: true,
    // The reference payment platform, so a demo exit can be paid by QR (TEST merchant, TEST codes).
    paygatePort: port(8490),
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
  // The training CPC green trucks (green-*): their appointments, and the ban of green-banned (TEST).
  const green = trainingGreenListEntries();
  await api(sys.centreUrl, 'POST', '/lists/vehicle-green/changes', {
    body: { changes: green.appointments.map((e) => ({ ...e, action: 'add' })) },
  });
  await api(sys.centreUrl, 'POST', '/lists/vehicle-green/cut');
  await api(sys.centreUrl, 'POST', '/lists/vehicle-green-ban/changes', {
    body: { changes: green.bans.map((e) => ({ ...e, action: 'add' })) },
  });
  await api(sys.centreUrl, 'POST', '/lists/vehicle-green-ban/cut');

  const stop = async () => {
    await handheld?.close();
    await sys.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  const banner = demoBanner({
    handheldUrl: handheld?.url,
    stationUrl: sys.stationUrl,
    centreUrl: sys.centreUrl,
    laneSimUrl: sys.laneSimUrl,
    paygate: sys.paygate,
    mqttUrl: sys.mqttUrl,
    stationCaFile: sys.stationCaFile,
    laneId: sys.laneId,
    stationId: sys.stationId,
    runtime: `Node ${process.version} (${process.execPath})`,
    trainingVehicles: TRAINING_VEHICLES,
    trainingCpcs: TRAINING_CPC_VEHICLES,
  });
  for (const l of banner) say(l);
}

main().catch((e: unknown) => {
  process.stderr.write(`演示启动失败：${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
