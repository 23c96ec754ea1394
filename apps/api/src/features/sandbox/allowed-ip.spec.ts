import { describe, expect, it } from 'vitest';
import { ipAllowed, parseAllowedIp } from './allowed-ip.js';

describe('sandbox allowed address', () => {
  it('accepts addresses and CIDR blocks of both families, in one spelling', () => {
    expect(parseAllowedIp('10.1.2.3')).toBe('10.1.2.3');
    expect(parseAllowedIp(' 10.1.0.0/16 ')).toBe('10.1.0.0/16');
    expect(parseAllowedIp('10.1.2.3/32')).toBe('10.1.2.3');
    expect(parseAllowedIp('2001:DB8::/48')).toBe('2001:db8::/48');
    expect(parseAllowedIp('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(parseAllowedIp('::1')).toBe('::1');
  });

  it('refuses what is not an address or block, and blocks that bind nothing', () => {
    for (const bad of [
      '',
      'localhost',
      '10.1.2',
      '10.1.2.3/33',
      '10.1.2.3/0',
      '::/0',
      '10.1.2.3/8/1',
      '10.1.2.3/x',
      '2001:db8::/129',
      '300.1.1.1',
    ]) {
      expect(parseAllowedIp(bad), bad).toBeNull();
    }
  });

  it('refuses blocks wider than /16 (IPv4) or /48 (IPv6): a sandbox key is bound to one network, not a share of the internet', () => {
    for (const wide of ['0.0.0.0/1', '10.0.0.0/8', '10.0.0.0/15', '::/1', '2001:db8::/32', '2001:db8::/47', '::ffff:10.0.0.0/8']) {
      expect(parseAllowedIp(wide), wide).toBeNull();
    }
    expect(parseAllowedIp('10.0.0.0/16')).toBe('10.0.0.0/16');
    expect(parseAllowedIp('2001:db8::/48')).toBe('2001:db8::/48');
  });

  it('matches a client address against an address or a block', () => {
    expect(ipAllowed('127.0.0.1', '127.0.0.1')).toBe(true);
    expect(ipAllowed('127.0.0.1', '127.0.0.2')).toBe(false);
    expect(ipAllowed('10.1.0.0/16', '10.1.255.4')).toBe(true);
    expect(ipAllowed('10.1.0.0/16', '10.2.0.1')).toBe(false);
    expect(ipAllowed('2001:db8::/48', '2001:DB8:0:1::5')).toBe(true);
    expect(ipAllowed('2001:db8::/48', '2001:db8:1::5')).toBe(false);
    expect(ipAllowed('10.1.0.0/16', '::ffff:10.1.0.9')).toBe(true);
    expect(ipAllowed('10.1.0.0/16', '::1')).toBe(false);
    expect(ipAllowed('::1', '127.0.0.1')).toBe(false);
    expect(ipAllowed('10.1.0.0/16', '')).toBe(false);
  });
});
