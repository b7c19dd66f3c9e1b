#!/usr/bin/env -S npx tsx
/** tollpad-card — the engineer's card tool (Node-only). Errors print their code and Chinese message; exit 1. */
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { hexToBytes } from '../apdu/hex';
import { ReaderBridgeServer } from '../bridge/reader-bridge-server';
import { DsrcReader } from '../dsrc/dsrc-reader';
import { LoopbackDsrcTransport } from '../dsrc/dsrc-transport';
import { ObuLink } from '../dsrc/obu-link';
import { issueObu } from '../obu/issue-obu';
import { PsamWithVehicleKey } from '../obu/psam-vehicle-key-extension';
import { PsamDriver } from '../psam/psam-driver';
import { chargeDecision, makeRig, TEST_TERMINAL_ID } from '../purchase/test-rig';
import type { Reader } from '../reader/reader';
import { issueTestCard } from '../sim/test-card';
import { VirtualPsam } from '../sim/virtual-psam';
import { PcscContext } from '../transport/pcsc-reader';
import { SimulatedReader } from '../transport/simulated-reader';
import { ReaderBridgeClient, type WebSocketConstructor } from '../transport/websocket-reader';
import { VpcdCardServer } from '../vpcd/vpcd-card-server';
import { type DecodedFile, readCardFiles } from './read-card-files';
import { readObuFiles } from './read-obu-files';
import { runTearingSweep } from './tearing-sweep';

const USAGE = `tollpad-card — the engineer's card tool

Usage:
  tollpad-card help | --help | -h   this text
  tollpad-card read     [--reader sim|obu-sim|pcsc[:NAME]|ws://HOST:PORT[#slot]] [--token T]
                        [--layout 2019|legacy] [--vehicle-layout legacy59|v79] [--json]
                        read and decode the card's files (obu-sim: a TEST OBU read over the DSRC model)
  tollpad-card purchase [--amount FEN] [--algorithm 3des|sm4] [--card-type stored-value|account] [--json]
                        an exit composite purchase on a simulated TEST card
  tollpad-card sweep    [--json]   tearing sweep against the simulator
  tollpad-card bridge   [--card sim|pcsc[:NAME]] [--psam sim|pcsc[:NAME]] [--port N] [--host H] [--token T]
                        serve the readers to a handheld over WebSocket
  tollpad-card vpcd     [--port 35963]   serve a TEST card to a running pcscd through vsmartcard's vpcd`;

const cleanups: (() => void | Promise<void>)[] = [];

async function openReader(spec: string, role: 'card' | 'psam', token?: string): Promise<Reader> {
  if (spec === 'sim') {
    const card =
      role === 'card' ? issueTestCard().card : new VirtualPsam({ terminalId: hexToBytes(TEST_TERMINAL_ID) });
    return new SimulatedReader(card, { name: `TEST simulated ${role}` });
  }
  if (spec === 'pcsc' || spec.startsWith('pcsc:')) {
    const context = await PcscContext.open();
    cleanups.push(() => context.close());
    const name = spec.slice(5);
    const reader = await context.waitForReader(name === '' ? /./ : name, 5000);
    // pcscd reports the card a moment after the reader appears: give it a few seconds.
    for (let i = 0; i < 50 && !reader.isCardPresent(); i++) await new Promise((r) => setTimeout(r, 100));
    return reader;
  }
  if (spec.startsWith('ws://') || spec.startsWith('wss://')) {
    const [url = spec, slot = role] = spec.split('#');
    const client = new ReaderBridgeClient(url, {
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      reconnect: false,
      ...(token !== undefined ? { token } : {}),
    });
    cleanups.push(() => client.close());
    await client.open();
    return client.reader(slot);
  }
  throw new CliError('BAD_ARGUMENT', `unknown reader "${spec}"`, `读卡器参数无效：${spec}`);
}

class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly messageZh: string,
  ) {
    super(message);
  }
}

function print(value: unknown, json: boolean, table: () => void): void {
  if (json) console.log(JSON.stringify(value, null, 2));
  else table();
}

function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value === null || typeof value !== 'object') return [[prefix, String(value)]];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    flatten(v, prefix ? `${prefix}.${k}` : k),
  );
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || argv.some((a) => a === '--help' || a === '-h')) {
    console.log(USAGE);
    return;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      reader: { type: 'string', default: 'sim' },
      token: { type: 'string' },
      layout: { type: 'string', default: '2019' },
      json: { type: 'boolean', default: false },
      amount: { type: 'string', default: '1234' },
      algorithm: { type: 'string', default: '3des' },
      'card-type': { type: 'string', default: 'stored-value' },
      'vehicle-layout': { type: 'string', default: 'legacy59' },
      card: { type: 'string', default: 'sim' },
      psam: { type: 'string', default: 'sim' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string' },
    },
  });
  switch (command) {
    case 'read': {
      const layout = values.layout === 'legacy' ? 'legacy' : '2019';
      let reader: Reader;
      let obuFiles: DecodedFile[] = [];
      if (values.reader === 'obu-sim') {
        const vehicleLayout = values['vehicle-layout'] === 'v79' ? 'v79' : 'legacy59';
        const obu = issueObu(
          { plate: '苏A12345', colour: 0, class: 1, layout: vehicleLayout },
          issueTestCard().card,
        );
        const link = new ObuLink(new LoopbackDsrcTransport(obu));
        const psamReader = new SimulatedReader(
          new PsamWithVehicleKey(new VirtualPsam({ terminalId: hexToBytes(TEST_TERMINAL_ID) })),
        );
        await new PsamDriver(psamReader).open(); // selects the PSAM's DF01
        obuFiles = await readObuFiles(link, psamReader, vehicleLayout);
        reader = new DsrcReader(link);
      } else {
        reader = await openReader(values.reader, 'card', values.token);
      }
      const cardReport = await readCardFiles(reader, { layout0019: layout });
      await reader.disconnect();
      const report = { ...cardReport, files: [...obuFiles, ...cardReport.files] };
      print(report, values.json, () => {
        console.log(`reader ${report.reader}  ATR ${report.atr}`);
        for (const f of report.files) {
          console.log(`\n== ${f.file}  ${f.raw}`);
          if (f.error) console.log(`  !! ${f.error.code}: ${f.error.messageZh ?? f.error.message}`);
          else for (const [k, v] of flatten(f.decoded)) console.log(`  ${k.padEnd(28)} ${v}`);
        }
      });
      return;
    }
    case 'purchase': {
      const amount = Number(values.amount);
      if (!Number.isSafeInteger(amount) || amount < 0) {
        throw new CliError(
          'BAD_ARGUMENT',
          `--amount must be integer fen, got ${values.amount}`,
          '金额必须为整数（分）',
        );
      }
      const rig = await makeRig({
        algorithm: values.algorithm === 'sm4' ? 'sm4' : '3des',
        cardType: values['card-type'] === 'account' ? 'account' : 'stored-value',
        balance: 50_000,
        config: { clock: () => new Date() },
      });
      const outcome = await rig.exit.exit(() => chargeDecision(amount));
      print(outcome, values.json, () => {
        for (const [k, v] of flatten(outcome)) console.log(`${k.padEnd(16)} ${v}`);
      });
      return;
    }
    case 'sweep': {
      const rows = await runTearingSweep();
      print(rows, values.json, () => {
        console.log(
          'algorithm  card type     APDUs  cases  debited-once  not-debited  recovered  violations',
        );
        for (const r of rows) {
          console.log(
            `${r.algorithm.padEnd(10)} ${r.cardType.padEnd(13)} ${String(r.apdus).padStart(5)}  ${String(r.cases).padStart(5)}  ${String(r.debitedOnce).padStart(12)}  ${String(r.notDebited).padStart(11)}  ${String(r.recovered).padStart(9)}  ${r.violations.length === 0 ? 'none' : r.violations.join('; ')}`,
          );
        }
      });
      if (rows.some((r) => r.violations.length > 0)) {
        throw new CliError(
          'SWEEP_VIOLATION',
          'tearing sweep found violations',
          '断电测试发现重复扣款或余额不一致',
        );
      }
      return;
    }
    case 'bridge': {
      const server = new ReaderBridgeServer({
        readers: { card: await openReader(values.card, 'card'), psam: await openReader(values.psam, 'psam') },
        host: values.host,
        port: values.port ? Number(values.port) : 35990,
        ...(values.token !== undefined ? { token: values.token } : {}),
        log: (line) => console.log(line),
      });
      await server.start();
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      await server.close();
      return;
    }
    case 'vpcd': {
      const server = new VpcdCardServer(issueTestCard().card, {
        ...(values.port ? { port: Number(values.port) } : {}),
        log: (line) => console.log(line),
      });
      await server.insert();
      console.log('TEST card inserted into vpcd; Ctrl-C to remove');
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      server.remove();
      return;
    }
    default:
      throw new CliError(
        'BAD_ARGUMENT',
        `unknown command "${command}"`,
        `未知命令：${command}（--help 查看用法）`,
      );
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  const e = error as { code?: unknown; messageZh?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : 'ERROR';
  const zh = typeof e.messageZh === 'string' ? e.messageZh : '操作失败';
  console.error(`[${code}] ${zh}${typeof e.message === 'string' ? ` — ${e.message}` : ''}`);
  process.exitCode = 1;
} finally {
  for (const c of cleanups) await c();
}
