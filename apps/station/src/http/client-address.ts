import { BlockList, isIP } from 'node:net';

/**
 * The client address that rate limits and login back-off key on. It is the socket's peer address; an
 * X-Forwarded-For entry is believed only when the hop that added it is a configured trusted proxy, since
 * any client can write that header.
 */
export class ClientAddresses {
  private readonly trusted: BlockList | null;

  /** `proxies`: addresses or CIDR blocks of the station's own reverse proxies ([P] none by default). */
  constructor(proxies: readonly string[]) {
    if (proxies.length === 0) {
      this.trusted = null;
      return;
    }
    const list = new BlockList();
    for (const p of proxies) {
      const [addr = '', bits] = p.trim().split('/');
      const family = familyOf(addr);
      if (!family) throw new Error(`TRUSTED_PROXIES: "${p}" is not an IP address or CIDR block`);
      if (bits === undefined) list.addAddress(addr, family);
      else {
        const prefix = Number(bits);
        if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 'ipv4' ? 32 : 128)) {
          throw new Error(`TRUSTED_PROXIES: "${p}" has a bad prefix length`);
        }
        list.addSubnet(addr, prefix, family);
      }
    }
    this.trusted = list;
  }

  /**
   * Walks X-Forwarded-For from the right (the entry our own proxy appended) while each hop is trusted;
   * the first untrusted hop is the client. A malformed entry ends the walk at the last trusted hop.
   */
  of(socketAddress: string | undefined, forwardedFor: string | string[] | undefined): string {
    let addr = normalise(socketAddress ?? '');
    if (!this.trusted || forwardedFor === undefined) return addr;
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
    for (let i = hops.length - 1; i >= 0 && this.isTrusted(addr); i--) {
      const hop = normalise(hops[i]?.trim() ?? '');
      if (!familyOf(hop)) break;
      addr = hop;
    }
    return addr;
  }

  private isTrusted(addr: string): boolean {
    const family = familyOf(addr);
    return family !== null && this.trusted?.check(addr, family) === true;
  }
}

function familyOf(addr: string): 'ipv4' | 'ipv6' | null {
  const v = isIP(addr);
  return v === 4 ? 'ipv4' : v === 6 ? 'ipv6' : null;
}

/** An IPv4 client on a dual-stack socket appears as ::ffff:a.b.c.d; one client, one key. */
function normalise(addr: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr);
  return m?.[1] ?? addr;
}
