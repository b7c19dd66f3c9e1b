import type { TLSSocket } from 'node:tls';
import { parseStationId } from '@tollpad/domain';
import { peerIdentity } from '@tollpad/server-kit';
import type { FastifyRequest } from 'fastify';

/**
 * Who is calling, from the client certificate the centre CA issued and TLS verified. The subject CN
 * carries it: a 14-character station ID for a station (one certificate per station), `publisher:<name>`
 * for a publisher of tariffs and lists (stations never get one).
 */
export type Peer = { role: 'station'; stationId: string } | { role: 'publisher'; name: string };

export const PUBLISHER_CN_PREFIX = 'publisher:';

/**
 * TEST only: in the plain-HTTP mode (explicitly asked for, unit tests) there is no certificate, and this
 * header stands in for its CN. It is never read on a TLS connection.
 */
export const TEST_PEER_HEADER = 'x-tollpad-test-peer';

export function peerFromCommonName(cn: string | undefined): Peer | undefined {
  if (cn === undefined) return undefined;
  if (cn.startsWith(PUBLISHER_CN_PREFIX)) {
    const name = cn.slice(PUBLISHER_CN_PREFIX.length);
    return name.length > 0 ? { role: 'publisher', name } : undefined;
  }
  return parseStationId(cn).ok ? { role: 'station', stationId: cn } : undefined;
}

/** The caller of this request: its verified certificate, or (plain-HTTP test mode only) the TEST header. */
export function peerOf(req: FastifyRequest, plainHttpTestPeers: boolean): Peer | undefined {
  const socket = req.raw.socket as TLSSocket;
  if (socket.encrypted) return peerFromCommonName(peerIdentity(socket));
  if (!plainHttpTestPeers) return undefined;
  const h = req.headers[TEST_PEER_HEADER];
  return typeof h === 'string' ? peerFromCommonName(h) : undefined;
}
