import { PlazaDayError } from './errors';
import {
  DEFAULT_MEDIA_SHARES,
  DEFAULT_PAY_SHARES,
  formatShares,
  MEDIA,
  type MediumId,
  PAY_CHANNELS,
  type PayChannel,
  parseShares,
  type Shares,
} from './mix';

/** What one plaza day runs: size, pace, fault rates and the seed. */
export interface PlazaDayOptions {
  exits: number;
  handhelds: number;
  /** Peak arrivals per second over the compressed day; 0 = vehicles always waiting (handhelds saturated). */
  rate: number;
  /** Wall-clock cap in seconds: no new vehicle after it (the run still drains and reconciles). */
  duration: number;
  seed: number;
  db: 'sqlite' | 'postgres';
  /** The ETC vehicles' training-case mix (`--etc-cases`; `--mix training|normal` as before). */
  mix: 'training' | 'normal';
  /** Shares of what vehicles carry (`--mix etc=…,cpc=…`); null = an ETC-only day, as before. */
  media: Shares<MediumId> | null;
  /** How the vehicles that pay at the handheld pay (`--pay cash=…,qr-wechat=…`). */
  pay: Shares<PayChannel>;
  /** Run the apps from a snapshot of HEAD (default) or from the live working tree. */
  tree: 'snapshot' | 'live';
  /** Per-vehicle probabilities of the handheld-side faults. */
  tearRate: number;
  swapRate: number;
  restartRate: number;
  /** Process and link faults: how many over the day (spread evenly over the exits, jittered by the seed). */
  stationKills: number;
  centreOutages: number;
  slowLinks: number;
  mqttLosses: number;
  /** Payment faults of a mixed day (payment-faults.ts): how many over the day. */
  payLostAnswers: number;
  passwordWaits: number;
  platformOutages: number;
  platformSlow: number;
  stationKillsInPayment: number;
  handheldRestartsInPayment: number;
  /** CPC faults (cpc-faults.ts): CPCs torn during the exit write, CPCs unreadable (damaged). */
  cpcTears: number;
  cpcUnreadable: number;
  /** How long one centre outage / slow-link window / MQTT loss lasts. */
  outageMs: number;
  slowMs: number;
  /** Added latency per direction while a link is slow. */
  slowLatencyMs: number;
  reportDir: string;
  help: boolean;
}

export const DEFAULT_OPTIONS: PlazaDayOptions = {
  exits: 50_000,
  handhelds: 20,
  rate: 0,
  duration: 7_200,
  seed: 20_261_123,
  db: 'sqlite',
  mix: 'training',
  media: DEFAULT_MEDIA_SHARES,
  pay: DEFAULT_PAY_SHARES,
  tree: 'snapshot',
  tearRate: 0.012,
  swapRate: 0.003,
  restartRate: 0.003,
  stationKills: 60,
  centreOutages: 60,
  slowLinks: 60,
  mqttLosses: 60,
  payLostAnswers: 50,
  passwordWaits: 50,
  platformOutages: 50,
  platformSlow: 50,
  stationKillsInPayment: 50,
  handheldRestartsInPayment: 50,
  cpcTears: 50,
  cpcUnreadable: 50,
  outageMs: 2_000,
  slowMs: 2_000,
  slowLatencyMs: 300,
  reportDir: 'reports/plaza-day',
  help: false,
};

interface NumberSpec {
  key: keyof PlazaDayOptions;
  min: number;
  max: number;
  integer: boolean;
  zh: string;
  help: string;
}

/** Ranges: wide enough for a laptop day or a 300-exit smoke run, narrow enough to refuse typos. */
const NUMBERS: Record<string, NumberSpec> = {
  exits: { key: 'exits', min: 1, max: 1_000_000, integer: true, zh: '车辆数', help: 'vehicles in the day' },
  handhelds: {
    key: 'handhelds',
    min: 1,
    max: 100,
    integer: true,
    zh: '手持机数',
    help: 'simulated handhelds',
  },
  rate: {
    key: 'rate',
    min: 0,
    max: 5_000,
    integer: false,
    zh: '车流量（辆/秒）',
    help: 'peak arrivals per second (0 = always a vehicle waiting)',
  },
  duration: {
    key: 'duration',
    min: 10,
    max: 86_400,
    integer: true,
    zh: '运行时长（秒）',
    help: 'wall-clock cap in seconds',
  },
  seed: { key: 'seed', min: 0, max: 4_294_967_295, integer: true, zh: '随机种子', help: 'seed (uint32)' },
  'tear-rate': {
    key: 'tearRate',
    min: 0,
    max: 0.5,
    integer: false,
    zh: '拔卡概率',
    help: 'per vehicle: card torn at a random APDU',
  },
  'swap-rate': {
    key: 'swapRate',
    min: 0,
    max: 0.5,
    integer: false,
    zh: '换卡概率',
    help: 'per vehicle: another card presented during recovery',
  },
  'restart-rate': {
    key: 'restartRate',
    min: 0,
    max: 0.5,
    integer: false,
    zh: '手持机重启概率',
    help: 'per vehicle: handheld restarts mid-debit',
  },
  'station-kills': {
    key: 'stationKills',
    min: 0,
    max: 10_000,
    integer: true,
    zh: '站级服务器强制重启次数',
    help: 'station SIGKILL + restart count',
  },
  'centre-outages': {
    key: 'centreOutages',
    min: 0,
    max: 10_000,
    integer: true,
    zh: '中心中断次数',
    help: 'centre link outages',
  },
  'slow-links': {
    key: 'slowLinks',
    min: 0,
    max: 10_000,
    integer: true,
    zh: '慢链路次数',
    help: 'slow station→centre link windows',
  },
  'mqtt-losses': {
    key: 'mqttLosses',
    min: 0,
    max: 10_000,
    integer: true,
    zh: 'MQTT断链次数',
    help: 'lane controller link losses',
  },
  'pay-lost-answers': {
    key: 'payLostAnswers',
    min: 0,
    max: 10_000,
    integer: true,
    zh: '支付应答丢失次数',
    help: 'payment answers lost after capture (needs --mix)',
  },
  'password-waits': {
    key: 'passwordWaits',
    min: 0,
    max: 10_000,
    integer: true,
    zh: '输密等待次数',
    help: 'password waits ending paid or abandoned (needs --mix)',
  },
  'platform-outages': {
    key: 'platformOutages',
    min: 0,
    max: 10_000,
    integer: true,
    zh: '支付平台中断次数',
    help: 'payment platform outages at a payment (needs --mix)',
  },
  'platform-slow': {
    key: 'platformSlow',
    min: 0,
    max: 10_000,
    integer: true,
    zh: '支付平台慢应答次数',
    help: 'slow platform answers, some past the station timeout (needs --mix)',
  },
  'station-kills-in-payment': {
    key: 'stationKillsInPayment',
    min: 0,
    max: 10_000,
    integer: true,
    zh: '支付中站级服务器强制重启次数',
    help: 'station SIGKILL with a payment in flight (needs --mix)',
  },
  'handheld-restarts-in-payment': {
    key: 'handheldRestartsInPayment',
    min: 0,
    max: 10_000,
    integer: true,
    zh: '支付中手持机重启次数',
    help: 'handheld restarts after the payment intent (needs --mix)',
  },
  'cpc-tears': {
    key: 'cpcTears',
    min: 0,
    max: 10_000,
    integer: true,
    zh: 'CPC写卡拔卡次数',
    help: 'CPCs torn at a step of the exit write (needs --mix with cpc/green/arrears)',
  },
  'cpc-unreadable': {
    key: 'cpcUnreadable',
    min: 0,
    max: 10_000,
    integer: true,
    zh: 'CPC无法读取次数',
    help: 'CPCs that cannot be read (damaged): the no-card path (needs --mix with cpc)',
  },
  'outage-ms': {
    key: 'outageMs',
    min: 100,
    max: 600_000,
    integer: true,
    zh: '中心中断时长（毫秒）',
    help: 'length of one centre outage / MQTT loss',
  },
  'slow-ms': {
    key: 'slowMs',
    min: 100,
    max: 600_000,
    integer: true,
    zh: '慢链路时长（毫秒）',
    help: 'length of one slow-link window',
  },
  'slow-latency-ms': {
    key: 'slowLatencyMs',
    min: 1,
    max: 30_000,
    integer: true,
    zh: '慢链路延迟（毫秒）',
    help: 'added latency while slow',
  },
};

const CHOICES: Record<
  string,
  { key: 'db' | 'mix' | 'tree'; values: readonly string[]; zh: string; help: string }
> = {
  db: { key: 'db', values: ['sqlite', 'postgres'], zh: '数据库', help: 'station and centre database' },
  'etc-cases': {
    key: 'mix',
    values: ['training', 'normal'],
    zh: 'ETC车辆构成',
    help: 'ETC vehicles: training-case mix or plain',
  },
  tree: {
    key: 'tree',
    values: ['snapshot', 'live'],
    zh: '被测代码',
    help: 'apps from a snapshot of HEAD, or the live working tree',
  },
};

export function usage(): string {
  const lines = ['npm run plaza-day -- [options]', ''];
  for (const [name, s] of Object.entries(NUMBERS)) {
    lines.push(`  --${name.padEnd(16)} ${s.help} [${s.min}..${s.max}] (default ${DEFAULT_OPTIONS[s.key]})`);
  }
  for (const [name, c] of Object.entries(CHOICES)) {
    lines.push(`  --${name.padEnd(16)} ${c.help}: ${c.values.join('|')} (default ${DEFAULT_OPTIONS[c.key]})`);
  }
  lines.push(
    `  --${'mix'.padEnd(16)} shares (%) of ${MEDIA.join('/')} (default ${formatShares(MEDIA, DEFAULT_MEDIA_SHARES)}; etc=100: the ETC-only day); training|normal = --etc-cases`,
    `  --${'pay'.padEnd(16)} shares (%) of ${PAY_CHANNELS.join('/')} for the vehicles paying at the handheld (default ${Object.entries(
      DEFAULT_PAY_SHARES,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(',')})`,
  );
  lines.push(`  --${'report-dir'.padEnd(16)} where the report goes (default ${DEFAULT_OPTIONS.reportDir})`);
  lines.push(`  --${'help'.padEnd(16)} this text (also -h)`);
  return lines.join('\n');
}

/** `--name value` or `--name=value`. Throws PlazaDayError (stable code, Chinese message) on bad input. */
export function parseOptions(argv: readonly string[]): PlazaDayOptions {
  const o: PlazaDayOptions = { ...DEFAULT_OPTIONS };
  /** The options named on the command line (a default may be dropped where the mix cannot meet it). */
  const given = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h') {
      o.help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      throw new PlazaDayError('PD_ERR_OPTION_UNKNOWN', arg, `无法识别的参数“${arg}”，参数须以--开头`);
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (name === 'help') {
      o.help = true;
      continue;
    }
    const known = name in NUMBERS || name in CHOICES || ['report-dir', 'mix', 'pay'].includes(name);
    given.add(name);
    if (!known)
      throw new PlazaDayError('PD_ERR_OPTION_UNKNOWN', name, `未知选项--${name}（--help 查看全部选项）`);
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined || value === '') {
      throw new PlazaDayError('PD_ERR_OPTION_VALUE', name, `选项--${name}缺少取值`);
    }
    if (name === 'report-dir') {
      o.reportDir = value;
      continue;
    }
    if (name === 'mix' && (value === 'training' || value === 'normal')) {
      o.mix = value; // the ETC case mix, as --mix meant before the media shares
      continue;
    }
    if (name === 'mix') {
      o.media = parseShares('mix', '车辆介质构成', MEDIA, value);
      continue;
    }
    if (name === 'pay') {
      o.pay = parseShares('pay', '支付方式构成', PAY_CHANNELS, value);
      continue;
    }
    const choice = CHOICES[name];
    if (choice) {
      if (!choice.values.includes(value)) {
        throw new PlazaDayError(
          'PD_ERR_OPTION_VALUE',
          name,
          `${choice.zh}应为 ${choice.values.join(' 或 ')}，实为“${value}”`,
        );
      }
      (o as unknown as Record<string, string>)[choice.key] = value;
      continue;
    }
    const spec = NUMBERS[name]!;
    const n = Number(value);
    if (!Number.isFinite(n) || (spec.integer && !Number.isInteger(n)) || !/^-?[\d.e+]+$/i.test(value)) {
      throw new PlazaDayError(
        'PD_ERR_OPTION_VALUE',
        name,
        `${spec.zh}（--${name}）应为${spec.integer ? '整数' : '数字'}，实为“${value}”`,
      );
    }
    if (n < spec.min || n > spec.max) {
      throw new PlazaDayError(
        'PD_ERR_OPTION_RANGE',
        name,
        `${spec.zh}（--${name}）应在 ${spec.min} 到 ${spec.max} 之间，实为 ${n}`,
      );
    }
    (o as unknown as Record<string, number>)[spec.key] = n;
  }
  // etc=100 is the ETC-only day (no payment platform); faults left at their defaults that no vehicle of
  // the mix can meet are not asked for (given by hand, they are still refused below).
  if (o.media?.etc === 100) o.media = null;
  const unmet = (names: readonly string[]) => {
    for (const n of names) if (!given.has(n)) (o as unknown as Record<string, number>)[NUMBERS[n]!.key] = 0;
  };
  if (!o.media?.cpc && !o.media?.none) unmet(PAYMENT_FAULT_NAMES);
  if (!o.media?.cpc) unmet(CPC_FAULT_NAMES);
  const perVehicle = o.tearRate + o.swapRate + o.restartRate;
  if (perVehicle > 0.9) {
    throw new PlazaDayError(
      'PD_ERR_OPTION_RANGE',
      'tear-rate',
      `拔卡、换卡、重启概率之和应不大于 0.9，实为 ${Number(perVehicle.toFixed(4))}`,
    );
  }
  for (const name of [...PROCESS_FAULT_NAMES, ...PAYMENT_FAULT_NAMES, ...CPC_FAULT_NAMES]) {
    const key = NUMBERS[name]!.key;
    const count = o[key] as number;
    // One process/link fault per at most every exit: more would only queue faults on top of each other.
    if (count > o.exits) {
      throw new PlazaDayError(
        'PD_ERR_OPTION_RANGE',
        name,
        `${NUMBERS[name]!.zh}（--${name}）不能超过车辆数 ${o.exits}，实为 ${count}`,
      );
    }
  }
  const paymentFaults = PAYMENT_FAULT_NAMES.filter((n) => (o[NUMBERS[n]!.key] as number) > 0);
  if (paymentFaults.length > 0 && !o.media?.cpc && !o.media?.none) {
    // Only the vehicles that pay at the handheld (CPC, no card) meet a payment fault.
    throw new PlazaDayError(
      'PD_ERR_OPTION_VALUE',
      paymentFaults[0]!,
      `支付故障（--${paymentFaults[0]}）需要在现场支付的车辆：请用--mix 给出 cpc 或 none 的份额`,
    );
  }
  if ((o.cpcTears > 0 || o.cpcUnreadable > 0) && !o.media?.cpc) {
    const name = o.cpcTears > 0 ? 'cpc-tears' : 'cpc-unreadable';
    throw new PlazaDayError(
      'PD_ERR_OPTION_VALUE',
      name,
      `CPC故障（--${name}）需要持CPC的车辆：请用--mix 给出 cpc 的份额`,
    );
  }
  return o;
}

/** The counted faults' options, by what they need of the day. */
const PROCESS_FAULT_NAMES = ['station-kills', 'centre-outages', 'slow-links', 'mqtt-losses'] as const;
export const PAYMENT_FAULT_NAMES = [
  'pay-lost-answers',
  'password-waits',
  'platform-outages',
  'platform-slow',
  'station-kills-in-payment',
  'handheld-restarts-in-payment',
] as const;
const CPC_FAULT_NAMES = ['cpc-tears', 'cpc-unreadable'] as const;

/** A day without injected faults (the bench's side-by-side days): every rate and count at 0. */
export const NO_FAULT_ARGS: readonly string[] = [
  'tear-rate',
  'swap-rate',
  'restart-rate',
  ...PROCESS_FAULT_NAMES,
  ...PAYMENT_FAULT_NAMES,
  ...CPC_FAULT_NAMES,
].flatMap((n) => [`--${n}`, '0']);
