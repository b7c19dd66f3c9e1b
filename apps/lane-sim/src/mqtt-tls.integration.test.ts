import { createCa, issueServerCert, type TlsIdentity } from '@tollpad/server-kit';
import { connect, type IClientOptions } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  LANE_A,
  type LinkedLanes,
  linkLanes,
  type TestAccounts,
  type TestBroker,
  testAccounts,
  testBrokers,
  tradeId,
  uniqueRoot,
} from './integration-helpers';

// TEST CA and broker certificate, made for this run only.
let testCa: TlsIdentity;
let testBrokerCert: TlsIdentity;

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

describe.each(testBrokers(() => testBrokerCert))('MQTT over TLS on the %s', (_name, startBroker) => {
  const root = uniqueRoot();
  let accounts: TestAccounts;
  let broker: TestBroker;
  let lanes: LinkedLanes;

  beforeAll(async () => {
    accounts = await testAccounts(root);
    broker = await startBroker(root, accounts);
    lanes = await linkLanes(broker.url, root, { accounts, ca: testCa.cert });
  });

  afterAll(async () => {
    await lanes?.stop();
    await broker?.stop();
    accounts?.cleanup();
  });

  it('links station and lane over mqtts:// with the CA, and the barrier opens for the station', async () => {
    expect(broker.url).toMatch(/^mqtts:\/\//);
    await eventually('lane A linked', () => lanes.station.lane(LANE_A)?.monitorState === 'CLOSED');
    expect(await lanes.station.openBarrier(LANE_A, tradeId(LANE_A, 21))).toMatchObject({
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
