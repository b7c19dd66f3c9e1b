import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LaneLinkClient, passwordFileTable, startEmbeddedBroker } from '@tollpad/linkage/node';
import { createCa, issueServerCert, type TlsIdentity } from '@tollpad/server-kit';
import { connect, type IClientOptions } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  LANE_A,
  STATION,
  simConfig,
  startOwnMosquitto,
  type TestAccounts,
  testAccounts,
  tradeId,
  uniqueRoot,
} from './integration-helpers';
import { type LaneSim, startLaneSim } from './lane-sim';

interface Broker {
  readonly url: string;
  stop(): Promise<void>;
}

// TEST CA and broker certificate, made for this run only.
let testCa: TlsIdentity;
let testBrokerCert: TlsIdentity;

const BROKERS: [string, (root: string, accounts: TestAccounts) => Promise<Broker>][] = [
  [
    'embedded broker (aedes over tls.createServer)',
    async (root, accounts) => {
      const passwords = passwordFileTable(accounts.files.passwordFile);
      if (!passwords.ok) throw passwords.error;
      const b = await startEmbeddedBroker({
        port: 0,
        access: { topicRoot: root, passwords: passwords.value },
        tls: testBrokerCert,
      });
      if (!b.ok) throw b.error;
      return { url: b.value.url, stop: () => b.value.close() };
    },
  ],
  [
    'Mosquitto (keyfile + certfile)',
    (_root, accounts) => {
      const keyFile = join(accounts.dir, 'broker.TEST.key.pem');
      const certFile = join(accounts.dir, 'broker.TEST.cert.pem');
      writeFileSync(keyFile, testBrokerCert.key, { mode: 0o600 });
      writeFileSync(certFile, testBrokerCert.cert);
      return startOwnMosquitto(accounts, { keyFile, certFile });
    },
  ],
];

/** Connected, or how it ended: a TLS failure may show as an error or only as a closed socket. */
function tryConnect(url: string, options: IClientOptions): Promise<'connected' | 'failed'> {
  const client = connect(url, { ...options, reconnectPeriod: 0, connectTimeout: 5_000, protocolVersion: 4 });
  return new Promise((resolve) => {
    const done = (how: 'connected' | 'failed') => {
      client.end(true);
      resolve(how);
    };
    client.once('connect', () => done('connected'));
    client.once('error', () => done('failed'));
    client.once('close', () => done('failed'));
  });
}

beforeAll(async () => {
  testCa = await createCa({ commonName: 'tollpad TEST MQTT CA' });
  testBrokerCert = await issueServerCert(testCa, { hosts: ['127.0.0.1', 'localhost'] });
});

describe.each(BROKERS)('MQTT over TLS on the %s', (_name, startBroker) => {
  const root = uniqueRoot();
  let accounts: TestAccounts;
  let broker: Broker;
  let sim: LaneSim;
  let station: LaneLinkClient;

  beforeAll(async () => {
    accounts = await testAccounts(root);
    broker = await startBroker(root, accounts);
    const started = await startLaneSim(
      simConfig(broker.url, root, { ...accounts, ca: testCa.cert }),
      () => {},
    );
    if (!started.ok) throw started.error;
    sim = started.value;
    const client = LaneLinkClient.create({
      url: broker.url,
      stationId: STATION,
      topicRoot: root,
      tickMs: 200,
      ca: testCa.cert,
      ...accounts.station,
    });
    if (!client.ok) throw client.error;
    station = client.value;
  });

  afterAll(async () => {
    await station?.close();
    await sim?.stop();
    await broker?.stop();
    accounts?.cleanup();
  });

  it('links station and lane over mqtts:// with the CA, and the barrier opens for the station', async () => {
    expect(broker.url).toMatch(/^mqtts:\/\//);
    await eventually('lane A linked', () => station.lane(LANE_A)?.monitorState === 'CLOSED');
    expect(await station.openBarrier(LANE_A, tradeId(LANE_A, 21))).toMatchObject({
      ok: true,
      value: { outcome: 'accepted' },
    });
  });

  it('refuses a client that does not trust the broker’s CA, and a plaintext client', async () => {
    const login = { ...accounts.station };
    expect(await tryConnect(broker.url, { ...login, ca: testCa.cert })).toBe('connected');
    // The right account is not enough: the broker's certificate must chain to the configured CA.
    expect(await tryConnect(broker.url, login)).toBe('failed');
    expect(await tryConnect(broker.url.replace('mqtts://', 'mqtt://'), login)).toBe('failed');
  });
});
