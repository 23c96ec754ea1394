import { describe, expect, it } from 'vitest';
import { checkBaseUrl, checkHost, isInternalAddress } from './base-url.js';

describe('provider base-URL overrides (SPEC §5)', () => {
  it('refuses http, credentials in the URL, and addresses that are loopback, private or link-local', async () => {
    await expect(checkBaseUrl('http://api.example.com', { allowPrivate: false })).rejects.toMatchObject({ code: 'BASE_URL_NOT_HTTPS' });
    await expect(checkBaseUrl('https://user:pw@api.example.com', { allowPrivate: false })).rejects.toMatchObject({
      code: 'BASE_URL_INVALID',
    });
    for (const host of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '[::1]', '[fd00::1]', 'localhost']) {
      await expect(checkBaseUrl(`https://${host}/v1`, { allowPrivate: false }), host).rejects.toMatchObject({ code: 'BASE_URL_PRIVATE' });
    }
  });

  it('accepts a public https address, and anything on loopback only with the development flag', async () => {
    await expect(checkBaseUrl('https://93.184.216.34/emails', { allowPrivate: false })).resolves.toBeInstanceOf(URL);
    await expect(checkBaseUrl('http://127.0.0.1:4010', { allowPrivate: true })).resolves.toBeInstanceOf(URL);
    expect(isInternalAddress('8.8.8.8')).toBe(false);
    expect(isInternalAddress('::ffff:127.0.0.1')).toBe(true);
  });
});

describe('hosts (SMTP) and the less common address forms', () => {
  const lookup = (addresses: string[]) => () => Promise.resolve(addresses);

  it('refuses a public name that resolves inward, and any internal address among several', async () => {
    await expect(checkHost('smtp.example.com', { allowPrivate: false, lookup: lookup(['10.0.0.5']) })).rejects.toMatchObject({
      code: 'BASE_URL_PRIVATE',
    });
    await expect(
      checkHost('smtp.example.com', { allowPrivate: false, lookup: lookup(['93.184.216.34', '127.0.0.1']) }),
    ).rejects.toMatchObject({
      code: 'BASE_URL_PRIVATE',
    });
    await expect(checkHost('smtp.example.com', { allowPrivate: false, lookup: lookup(['93.184.216.34']) })).resolves.toBeUndefined();
    await expect(
      checkHost('nowhere.invalid', { allowPrivate: false, lookup: () => Promise.reject(new Error('ENOTFOUND')) }),
    ).rejects.toMatchObject({
      code: 'BASE_URL_UNRESOLVABLE',
    });
    await expect(checkHost('localhost', { allowPrivate: true })).resolves.toBeUndefined();
  });

  it('sees IPv4 inside IPv6 (mapped, hex-mapped, NAT64) and refuses documentation and CGNAT ranges', () => {
    for (const ip of [
      '::ffff:7f00:1',
      '64:ff9b::a9fe:a9fe',
      '64:ff9b::10.0.0.1',
      '100.64.0.1',
      '203.0.113.9',
      '2001:db8::1',
      'not-an-ip',
    ]) {
      expect(isInternalAddress(ip), ip).toBe(true);
    }
    for (const ip of ['1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isInternalAddress(ip), ip).toBe(false);
  });

  it('refuses a query or fragment in a base URL', async () => {
    await expect(checkBaseUrl('https://93.184.216.34/?x=1', { allowPrivate: false })).rejects.toMatchObject({ code: 'BASE_URL_INVALID' });
  });
});

describe('IPv4 embedded in IPv6, and addresses that are not globally routable (issue 13 item 6)', () => {
  const off = { allowPrivate: false };

  it('refuses every base URL of the attack list with the development flag off', async () => {
    for (const host of [
      '[::127.0.0.1]',
      '[::a9fe:a9fe]',
      '[::ffff:0:7f00:1]',
      '[2002:7f00:1::]',
      '[2002:a9fe:a9fe::]',
      '[64:ff9b:1::7f00:1]',
    ]) {
      await expect(checkBaseUrl(`https://${host}/v1`, off), host).rejects.toMatchObject({ code: 'BASE_URL_PRIVATE' });
    }
  });

  it('refuses the SMTP host ::127.0.0.1 and a name resolving to an embedded loopback', async () => {
    await expect(checkHost('::127.0.0.1', off)).rejects.toMatchObject({ code: 'BASE_URL_PRIVATE' });
    await expect(checkHost('smtp.example.com', { ...off, lookup: () => Promise.resolve(['2002:c0a8:101::1']) })).rejects.toMatchObject({
      code: 'BASE_URL_PRIVATE',
    });
  });

  it('decodes mapped, compatible, translated, 6to4 and NAT64 forms and checks the IPv4 inside', () => {
    for (const ip of [
      '::ffff:10.0.0.1',
      '::10.0.0.1',
      '::ffff:0:a00:1',
      '2002:0a00:0001::',
      '64:ff9b::127.0.0.1',
      '64:ff9b:1:7f00:1::',
      '0:0:0:0:0:ffff:7f00:1',
    ]) {
      expect(isInternalAddress(ip), ip).toBe(true);
    }
    // The same forms around a public IPv4 are as public as it is.
    for (const ip of ['::ffff:8.8.8.8', '2002:808:808::1', '64:ff9b::808:808']) expect(isInternalAddress(ip), ip).toBe(false);
  });

  it('refuses IPv6 outside global unicast and its special-purpose blocks', () => {
    for (const ip of [
      '::',
      '::2',
      '2001::1',
      '2001:2::1',
      '2001:10::1',
      '3fff::1',
      '5f00::1',
      '4000::1',
      'fe80::1%eth0',
      'ff02::1',
      '255.255.255.255',
      '192.0.0.8',
    ]) {
      expect(isInternalAddress(ip), ip).toBe(true);
    }
    for (const ip of ['2a00:1450:4001:80b::200e', '2606:4700::6810:84e5']) expect(isInternalAddress(ip), ip).toBe(false);
  });
});
