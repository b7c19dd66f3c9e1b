import type { AddressInfo } from 'node:net';
import type { DialectName } from '@tollpad/server-kit';
import { type Centre, createCentre } from '../centre';
import { loadConfig } from '../config';
import { centreCa } from '../tls/centre-tls';
import { createTestDatabase } from './test-db';

/** A centre as deployed, on mutual TLS, listening on a free loopback port over a test database of its own. */
export interface TlsCentre {
  readonly centre: Centre;
  /** `https://127.0.0.1:<port>` */
  readonly base: string;
  /** The centre CA certificate (PEM): what a client trusts the centre by. */
  readonly caCert: string;
  /** The centre's TLS folder (to issue a station's or the publisher's identity). */
  readonly tlsDir: string;
  /** Whether the configuration left TLS off (it must not by default). */
  readonly plainHttp: boolean;
  /** The stations of the seeded TEST tariff, in its order. */
  readonly stationIds: readonly string[];
  close(): Promise<void>;
}

export async function startTlsCentre(dialect: DialectName): Promise<TlsCentre> {
  const db = await createTestDatabase(dialect);
  const config = {
    ...loadConfig({}),
    databaseUrl: db.databaseUrl,
    dataDir: db.dataDir,
    tlsDir: `${db.dataDir}/tls`,
    tlsHosts: ['127.0.0.1'],
    seedCardListSize: 50,
    listDeltaMinutes: 0,
  };
  const centre = await createCentre({ config, logger: false });
  const close = async () => {
    await centre.close();
    await db.drop();
  };
  try {
    await centre.app.listen({ port: 0, host: '127.0.0.1' });
    return {
      centre,
      base: `https://127.0.0.1:${(centre.app.server.address() as AddressInfo).port}`,
      caCert: (await centreCa(config.tlsDir)).cert,
      tlsDir: config.tlsDir,
      plainHttp: config.plainHttp,
      stationIds: (await centre.services.tariffs.activeAt()).network.stations.map((s) => s.id),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
