import { checkServerRuntime } from '@tollpad/server-kit';
import { parseCommandLine } from './command-line';
import { loadConfig } from './config';
import { createPaygate } from './paygate';

const USAGE = `paygate — the reference payment platform (TEST stand-in for WeChat/Alipay/UnionPay-like channels)

Usage: tsx apps/paygate/src/main.ts [--data FILE] [--help]

  --data FILE                 keep the platform's state in FILE (written through, read on start);
                              without it the state lives in memory for the life of the process
  PORT, HOST                  listen address (default 8490 on 127.0.0.1)
  PAYGATE_MERCHANTS           id:key[:name],… (default: the TEST merchants TESTMCH0001, TESTMCH0002)
  PAYGATE_ADMIN_TOKEN         TEST control API token (loopback only); unset: the control API refuses
  PAYGATE_DATA_FILE           same as --data
  PAYGATE_TLS_DIR, PAYGATE_TLS_HOSTS  the paygate's own TEST CA (made on first start) and server names
  PAYGATE_PLAIN_HTTP=1        plain HTTP (unit tests only)
  PAYGATE_PUBLIC_URL          base of the 主扫 code URLs (default: the request's own origin)
  PAYGATE_SIGNATURE_SKEW_SECONDS (300), PAYGATE_CODE_TTL_SECONDS (60), PAYGATE_USERPAYING_SECONDS (180),
  PAYGATE_QR_TTL_SECONDS (7200), PAYGATE_SETTLEMENT_HOUR (9), PAYGATE_REVERSE_GUARD_SECONDS (15)
  BODY_LIMIT_BYTES, LOG_LEVEL, DATA_DIR

Protocol, faults and error codes: apps/paygate/README.md; OpenAPI at /openapi.json`;

const cli = parseCommandLine(process.argv.slice(2));
if (cli.kind === 'help') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (cli.kind === 'error') {
  process.stderr.write(`${cli.message}（--help 查看用法）\n\n${USAGE}\n`);
  process.exit(2);
}
let runtime: string;
try {
  runtime = checkServerRuntime();
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
const config = loadConfig(process.env, cli.dataFile);
const paygate = await createPaygate({ config });
const shutdown = async () => {
  await paygate.close();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
const address = await paygate.app.listen({ port: config.port, host: config.host });
paygate.app.log.info({ event: 'ready', address, runtime, test: true }, 'paygate ready');
