import { describe, expect, it } from 'vitest';
import { checkBaseUrl, checkHost, isInternalAddress } from './base-url.js';

describe('provider base-URL overrides (SPEC §5)', () => {
  it('refuses http, credentials in the URL, and addresses that are loopback, private or link-local', async () => {
    await expect(checkBaseUrl('http://api.example.com', { allowPrivate: false })).rejects.toMatchObject({ code: 'BASE_URL_NOT_HTTPS' });
    await expect(checkBaseUrl('https://user:pw@api.example.com', { allowPrivate: false })).rejects.toMatchObject({ code: 'BASE_URL_INVALID' });
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
    await expect(checkHost('smtp.example.com', { allowPrivate: false, lookup: lookup(['10.0.0.5']) })).rejects.toMatchObject({ code: 'BASE_URL_PRIVATE' });
    await expect(checkHost('smtp.example.com', { allowPrivate: false, lookup: lookup(['93.184.216.34', '127.0.0.1']) })).rejects.toMatchObject({
      code: 'BASE_URL_PRIVATE',
    });
    await expect(checkHost('smtp.example.com', { allowPrivate: false, lookup: lookup(['93.184.216.34']) })).resolves.toBeUndefined();
    await expect(checkHost('nowhere.invalid', { allowPrivate: false, lookup: () => Promise.reject(new Error('ENOTFOUND')) })).rejects.toMatchObject({
      code: 'BASE_URL_UNRESOLVABLE',
    });
    await expect(checkHost('localhost', { allowPrivate: true })).resolves.toBeUndefined();
  });

  it('sees IPv4 inside IPv6 (mapped, hex-mapped, NAT64) and refuses documentation and CGNAT ranges', () => {
    for (const ip of ['::ffff:7f00:1', '64:ff9b::a9fe:a9fe', '64:ff9b::10.0.0.1', '100.64.0.1', '203.0.113.9', '2001:db8::1', 'not-an-ip']) {
      expect(isInternalAddress(ip), ip).toBe(true);
    }
    for (const ip of ['1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isInternalAddress(ip), ip).toBe(false);
  });

  it('refuses a query or fragment in a base URL', async () => {
    await expect(checkBaseUrl('https://93.184.216.34/?x=1', { allowPrivate: false })).rejects.toMatchObject({ code: 'BASE_URL_INVALID' });
  });
});
