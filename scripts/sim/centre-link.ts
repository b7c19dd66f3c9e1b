import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTariff } from '@tollpad/tariff';
import { Agent, fetch as undiciFetch } from 'undici';
import { testPublisherKeyPaths } from '../../apps/centre/src/services/publisher';
import {
  type CentreCredentialFiles,
  writePublisherCredentials,
  writeStationCredentials,
} from '../../apps/centre/src/tls/centre-credentials';
import { useFetchFor } from './http';

/** `fetch` that trusts the centre CA and presents a client certificate (mutual TLS). */
export function mtlsFetch(files: CentreCredentialFiles): typeof fetch {
  const dispatcher = new Agent({
    connect: {
      ca: readFileSync(files.caFile, 'utf8'),
      cert: readFileSync(files.certFile, 'utf8'),
      key: readFileSync(files.keyFile, 'utf8'),
    },
  });
  return ((input: string | URL, init?: RequestInit) =>
    undiciFetch(input, { ...(init as object), dispatcher })) as unknown as typeof fetch;
}

/**
 * The demo world's centre trust, made before the centre starts: the centre CA under `centreDataDir/tls`
 * and a TEST publisher certificate the launcher itself calls the centre with (publishing the demo's list
 * changes, posting gantry passages).
 */
export async function prepareCentreLink(centreDataDir: string) {
  const tlsDir = join(centreDataDir, 'tls');
  const clientsDir = join(centreDataDir, 'clients');
  const publisher = await writePublisherCredentials(tlsDir, 'demo', clientsDir);
  const fetch = mtlsFetch(publisher);
  return {
    tlsDir,
    publisher,
    fetch,
    /** The centre's env for this trust (its CA directory). */
    centreEnv: { CENTRE_TLS_DIR: tlsDir },
    /**
     * The station's env: its own certificate (CN = the demo station, the second station of the centre's
     * tariff, as the demo seed picks it), the centre CA and the publisher's public key.
     */
    async stationEnv(centreUrl: string): Promise<{
      CENTRE_CA_FILE: string;
      CENTRE_CLIENT_CERT_FILE: string;
      CENTRE_CLIENT_KEY_FILE: string;
      CENTRE_PUBLISHER_KEY_FILE: string;
    }> {
      const text = await (await fetch(`${centreUrl}/tariffs/current`)).text();
      const net = loadTariff(text);
      if (!net.ok) throw new Error('the centre serves no tariff');
      const station = net.value.stations[1] ?? net.value.stations[0];
      if (!station) throw new Error('the centre tariff has no station');
      const own = await writeStationCredentials(tlsDir, station.id, clientsDir);
      return {
        CENTRE_CA_FILE: own.caFile,
        CENTRE_CLIENT_CERT_FILE: own.certFile,
        CENTRE_CLIENT_KEY_FILE: own.keyFile,
        CENTRE_PUBLISHER_KEY_FILE: testPublisherKeyPaths(centreDataDir).publicKey,
      };
    },
  };
}

/** Where `npm start` keeps the demo centre (its CA and the launcher's TEST publisher certificate). */
const DEMO_CENTRE = join(fileURLToPath(new URL('../..', import.meta.url)), 'data/demo/centre');

/** A CLI run beside `npm start` (the trip) calls the demo centre with the demo's TEST publisher certificate. */
export function useDemoCentreCredentials(centreUrl: string): void {
  const files = {
    caFile: join(DEMO_CENTRE, 'tls', 'ca.cert.pem'),
    certFile: join(DEMO_CENTRE, 'clients', 'TEST-publisher-demo.cert.pem'),
    keyFile: join(DEMO_CENTRE, 'clients', 'TEST-publisher-demo.key.pem'),
  };
  if (Object.values(files).every((f) => existsSync(f))) useFetchFor(centreUrl, mtlsFetch(files));
}
