import { loadConfig } from './config';
import { startLaneSim } from './lane-sim';

/**
 * Lane controller simulator. Env: MQTT_URL (mqtt:// or mqtts://; default: embedded broker on MQTT_PORT, or
 * the broker already listening there), STATION_ID, LANE_IDS (comma-separated), TOPIC_ROOT, HEARTBEAT_MS,
 * CONTROL_PORT, MOTION_MS, CLOSE_DELAY_MS, MAX_COMMAND_AGE_MS. Prints what a driver would see.
 * Security (packages/linkage/PROTOCOL.md, Security): MQTT_CREDENTIALS_FILE (JSON username → password; each
 * lane logs in as `lane-{laneId}`), MQTT_CA_FILE (CA for an mqtts:// broker), MQTT_BROKER_PASSWORD_FILE
 * (Mosquitto-format accounts: needed to start the embedded broker), MQTT_BROKER_TLS_KEY_FILE +
 * MQTT_BROKER_TLS_CERT_FILE (embedded broker over TLS).
 */
const write = (line: string) => process.stdout.write(`${line}\n`);

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
