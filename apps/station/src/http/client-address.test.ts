import { describe, expect, it } from 'vitest';
import { ClientAddresses } from './client-address';

describe('client address', () => {
  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    const c = new ClientAddresses([]);
    expect(c.of('192.0.2.7', '198.51.100.1')).toBe('192.0.2.7');
    expect(c.of('::ffff:192.0.2.7', undefined)).toBe('192.0.2.7');
  });

  it('believes X-Forwarded-For only from a trusted proxy, and only up to the first untrusted hop', () => {
    const c = new ClientAddresses(['10.0.0.1', '10.9.0.0/16']);
    // From the proxy: the client is the hop the proxy appended.
    expect(c.of('10.0.0.1', '198.51.100.1')).toBe('198.51.100.1');
    // A client that writes its own X-Forwarded-For before the proxy appends the real address gains nothing.
    expect(c.of('10.0.0.1', '203.0.113.9, 198.51.100.1')).toBe('198.51.100.1');
    // A chain of trusted proxies is walked through.
    expect(c.of('10.0.0.1', ['198.51.100.1', '10.9.3.4'])).toBe('198.51.100.1');
    // Not from a trusted proxy: the header is ignored.
    expect(c.of('192.0.2.7', '198.51.100.1')).toBe('192.0.2.7');
    // A malformed hop ends the walk at the proxy.
    expect(c.of('10.0.0.1', 'not-an-address')).toBe('10.0.0.1');
  });

  it('refuses a trusted-proxy entry that is not an address or block', () => {
    expect(() => new ClientAddresses(['proxy.local'])).toThrow(/TRUSTED_PROXIES/);
    expect(() => new ClientAddresses(['10.0.0.0/40'])).toThrow(/prefix/);
  });
});
