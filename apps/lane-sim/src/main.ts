import { loadConfig } from './config';
import { startLaneSim } from './lane-sim';

const USAGE = `lane-sim — a lane controller simulator; prints what a driver would see (configured by environment)

Usage: tsx apps/lane-sim/src/main.ts [--help]

  MQTT_URL                    mqtt:// or mqtts://; default: the embedded broker on MQTT_PORT, or the broker
                              already listening there
  STATION_ID, LANE_IDS        the station and its lanes (comma-separated)
  TOPIC_ROOT, HEARTBEAT_MS, RECONNECT_MS, CONTROL_PORT, MOTION_MS, CLOSE_DELAY_MS, MAX_COMMAND_AGE_MS
Security (packages/linkage/PROTOCOL.md, Security)
  MQTT_CREDENTIALS_FILE       JSON username → password; each lane logs in as lane-{laneId}
  MQTT_CA_FILE                CA of an mqtts:// broker
  MQTT_BROKER_PASSWORD_FILE   Mosquitto-format accounts: needed to start the embedded broker
  MQTT_BROKER_TLS_KEY_FILE, MQTT_BROKER_TLS_CERT_FILE  the embedded broker over TLS`;

const write = (line: string) => process.stdout.write(`${line}\n`);

// Configured by the environment alone (lane-sim does not load server-kit): any argument but --help is refused.
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  write(USAGE);
  process.exit(0);
}
if (args.length > 0) {
  process.stderr.write(`未知参数：${args.join(' ')}（配置请用环境变量，--help 查看用法）\n\n${USAGE}\n`);
  process.exit(2);
}

const config = loadConfig(process.env);
if (!config.ok) {
  process.stderr.write(`配置错误 ${config.error.field}: ${config.error.reason}\n`);
  process.exit(2);
}
const sim = await startLaneSim(config.value, write);
if (!sim.ok) {
  process.stderr.write(`启动失败 ${sim.error.code}: ${sim.error.reason}\n`);
  process.exit(1);
}
write(`lane-sim ready (Node ${process.version})`);
const stop = () => {
  sim.value.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
