import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { type CertificateAuthority, createCa, issueClientCert, issueServerCert } from './certificates';
import { clientTlsOptions, peerIdentity, serverTlsOptions } from './options';

// TEST certificates only: made fresh per run, never written anywhere.
const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(
  opts: Parameters<typeof createServer>[0],
): Promise<{ port: number; identities: (string | undefined)[] }> {
  const identities: (string | undefined)[] = [];
  const server = createServer(opts, (socket: TLSSocket) => {
    identities.push(peerIdentity(socket));
    socket.end('hello');
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, identities };
}

/** Resolves with what the server sent, or rejects with the handshake error. */
function talk(port: number, opts: ReturnType<typeof clientTlsOptions>): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, ...opts });
    let data = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      data += d;
    });
    s.on('end', () => resolve(data));
    s.on('error', reject);
  });
}

/**
 * Whether the server answered. Under TLS 1.3 the client finishes its side before the server has checked
 * the client certificate, so a refused client may see a bare close rather than an error.
 */
function served(port: number, opts: ReturnType<typeof clientTlsOptions>): Promise<boolean> {
  return talk(port, opts).then(
    (d) => d === 'hello',
    () => false,
  );
}

describe('TLS toolkit on a real loopback handshake', () => {
  let ca: CertificateAuthority;
  let otherCa: CertificateAuthority;

  it('makes CAs', async () => {
    ca = await createCa({ commonName: 'TEST tollpad CA', validityDays: 2 });
    otherCa = await createCa({ commonName: 'TEST stranger CA', validityDays: 2 });
    expect(ca.cert).toContain('BEGIN CERTIFICATE');
    expect(ca.key).toContain('BEGIN PRIVATE KEY');
  });

  it('a client trusting the CA accepts the server certificate for an IP SAN and a DNS SAN', async () => {
    const server = await issueServerCert(ca, { hosts: ['127.0.0.1', 'localhost'] });
    const { port } = await listen(serverTlsOptions({ identity: server, issuer: ca }));
    expect(await talk(port, clientTlsOptions({ ca: ca.cert }))).toBe('hello');
    expect(await talk(port, clientTlsOptions({ ca: ca.cert, servername: 'localhost' }))).toBe('hello');
  });

  it('a client trusting another CA refuses the server', async () => {
    const server = await issueServerCert(ca, { hosts: ['127.0.0.1'] });
    const { port } = await listen(serverTlsOptions({ identity: server, issuer: ca }));
    await expect(talk(port, clientTlsOptions({ ca: otherCa.cert }))).rejects.toThrow(
      /self.signed|unable to verify|certificate/i,
    );
  });

  it('a server certificate is refused for a host it does not name', async () => {
    const server = await issueServerCert(ca, { hosts: ['station.test'] });
    const { port } = await listen(serverTlsOptions({ identity: server, issuer: ca }));
    await expect(talk(port, clientTlsOptions({ ca: ca.cert }))).rejects.toThrow(/altnames|IP: 127\.0\.0\.1/i);
  });

  it('mutual TLS: the server reads the client identity from a certificate its CA issued', async () => {
    const server = await issueServerCert(ca, { hosts: ['127.0.0.1'] });
    const client = await issueClientCert(ca, { commonName: 'S01' });
    const { port, identities } = await listen(
      serverTlsOptions({ identity: server, issuer: ca, clientCa: ca.cert }),
    );
    expect(await talk(port, clientTlsOptions({ ca: ca.cert, identity: client }))).toBe('hello');
    expect(identities).toEqual(['S01']);
  });

  it('mutual TLS: a client without a certificate, or with one from another CA, is refused', async () => {
    const server = await issueServerCert(ca, { hosts: ['127.0.0.1'] });
    const forged = await issueClientCert(otherCa, { commonName: 'S01' });
    const { port, identities } = await listen(
      serverTlsOptions({ identity: server, issuer: ca, clientCa: ca.cert }),
    );
    expect(await served(port, clientTlsOptions({ ca: ca.cert }))).toBe(false);
    expect(await served(port, clientTlsOptions({ ca: ca.cert, identity: forged }))).toBe(false);
    expect(identities).toEqual([]);
  });

  it('a server certificate cannot act as a client certificate (extended key usage)', async () => {
    const server = await issueServerCert(ca, { hosts: ['127.0.0.1'] });
    const wrongUse = await issueServerCert(ca, { hosts: ['S01'] });
    const { port, identities } = await listen(
      serverTlsOptions({ identity: server, issuer: ca, clientCa: ca.cert }),
    );
    expect(await served(port, clientTlsOptions({ ca: ca.cert, identity: wrongUse }))).toBe(false);
    expect(identities).toEqual([]);
  });

  it('a CN with DN metacharacters stays one identity', async () => {
    const server = await issueServerCert(ca, { hosts: ['127.0.0.1'] });
    const client = await issueClientCert(ca, { commonName: 'S01, O=evil' });
    const { port, identities } = await listen(
      serverTlsOptions({ identity: server, issuer: ca, clientCa: ca.cert }),
    );
    await talk(port, clientTlsOptions({ ca: ca.cert, identity: client }));
    expect(identities).toEqual(['S01, O=evil']);
  });
});
