import { createIntent, type PaymentIntent } from '../intent';
import { type AttemptRecord, openAttempt, type RunnerDeps } from '../payment-runner';
import { type Fault, ModelPlatform, type Scenario } from './model-platform';

/** TEST lane and exit trade ID (synthetic province 37, marked TEST in the fixtures). */
export const TEST_LANE_HEX = '370124435B';
export const TEST_EXIT_TRADE_ID = 'G00223700100302010910' + '2024011715' + '322746';
export const TEST_START_MS = Date.parse('2024-01-17T07:20:00Z');

export class Crash extends Error {
  constructor() {
    super('TEST crash');
  }
}

/** A virtual clock, a store that keeps the last persisted record, and the model platform. */
export function harness(options: {
  faults?: Fault[];
  scenario?: Scenario | ((authCode: string) => Scenario);
  crashes?: ('ok' | 'before-write' | 'after-write')[];
  /** Called on every sleep of the runner: the world moves on meanwhile (e.g. the payer confirms). */
  onSleep?: () => void;
}) {
  let t = TEST_START_MS;
  const faults = [...(options.faults ?? [])];
  const crashes = [...(options.crashes ?? [])];
  const scenario = options.scenario ?? { kind: 'paid' };
  const platform = new ModelPlatform({
    now: () => new Date(t),
    nextFault: () => faults.shift() ?? 'deliver',
    scenarioOf: typeof scenario === 'function' ? scenario : () => scenario,
  });
  const store: { record: AttemptRecord | null; writes: AttemptRecord[] } = { record: null, writes: [] };
  const deps: RunnerDeps = {
    port: platform,
    now: () => new Date(t),
    sleep: async (ms) => {
      t += Math.max(0, ms);
      options.onSleep?.();
    },
    persist: async (record) => {
      const crash = crashes.shift() ?? 'ok';
      if (crash === 'before-write') throw new Crash();
      store.record = record;
      store.writes.push(record);
      if (crash === 'after-write') throw new Crash();
    },
  };
  return {
    platform,
    store,
    deps,
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

export function testIntent(amountFen = 3500): PaymentIntent {
  const intent = createIntent({
    laneHex: TEST_LANE_HEX,
    exitTradeId: TEST_EXIT_TRADE_ID,
    amountFen,
    now: new Date(TEST_START_MS),
  });
  if (!intent.ok) throw intent.error;
  return intent.value;
}

export function testAttempt(
  intent: PaymentIntent,
  attempt = 1,
  authCode = '134567890123456789',
): AttemptRecord {
  const opened = openAttempt({
    intent,
    attempt,
    amountFen: intent.amountFen,
    mode: 'code',
    channel: 'WECHAT',
    authCode,
    subject: 'TEST 高速通行费',
  });
  if (!opened.ok) throw opened.error;
  return opened.value;
}
