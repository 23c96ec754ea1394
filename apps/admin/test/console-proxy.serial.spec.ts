import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@orqestra/testing';
import { createOperator, startConsole, startServers, withDeadline, type Running, type Servers } from './support.js';

/**
 * The console's /api/* proxy and the client address the API sees (SPEC §7): the console appends the
 * address of its TCP peer to X-Forwarded-For, so an API that trusts one proxy hop reads the browser's
 * real address, never one the browser wrote into the header. Needs the console's build.
 */
const call = (url: string, init: RequestInit = {}) => fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });

describe('console proxy: X-Forwarded-For', { timeout: 120_000 }, () => {
  describe('what it sends upstream', () => {
    const seen: IncomingHttpHeaders[] = [];
    let upstream: Server;
    let web: Running;
    let consoleUrl: string;

    beforeAll(async () => {
      // A stand-in for the API that records what the console forwards.
      upstream = createServer((request, response) => {
        seen.push(request.headers);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true,"data":{}}');
      });
      await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
      const port = await freePort();
      consoleUrl = `http://127.0.0.1:${port}`;
      web = await startConsole(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, port);
    }, 180_000);

    afterAll(async () => {
      await web?.stop();
      await withDeadline(new Promise((resolve) => upstream?.close(resolve)), 10_000, 'closing the stand-in API').catch(() => undefined);
    });

    async function forwarded(headers: Record<string, string>): Promise<IncomingHttpHeaders> {
      const before = seen.length;
      const response = await call(`${consoleUrl}/api/v1/tenant/auth/me`, { headers });
      expect(response.status).toBe(200);
      expect(seen.length).toBe(before + 1);
      return seen[before]!;
    }

    it('is the peer address when the request had no X-Forwarded-For', async () => {
      expect((await forwarded({}))['x-forwarded-for']).toBe('127.0.0.1');
    });

    it('appends the peer to a client-written X-Forwarded-For instead of passing it on alone', async () => {
      expect((await forwarded({ 'x-forwarded-for': '203.0.113.9' }))['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
      expect((await forwarded({ 'x-forwarded-for': '198.51.100.1, 203.0.113.9' }))['x-forwarded-for']).toBe(
        '198.51.100.1, 203.0.113.9, 127.0.0.1',
      );
    });

    it('cannot be forged through the header the console stamps internally, and never forwards that header', async () => {
      const headers = await forwarded({ 'x-forwarded-for': '203.0.113.9', 'x-orqestra-console-forwarded-for': 'guess;198.51.100.1' });
      expect(headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
      expect(headers['x-orqestra-console-forwarded-for']).toBeUndefined();
    });
  });

  describe('behind it, an API that trusts one proxy hop', () => {
    let servers: Servers;

    beforeAll(async () => {
      // The lock after the free attempts lasts a minute, so a slow machine cannot outwait it mid-test.
      servers = await startServers({ apiEnv: { TRUSTED_PROXY_HOPS: '1', ADMIN_LOGIN_BACKOFF_BASE_MS: '60000' }, worker: false });
    }, 180_000);

    afterAll(async () => {
      await servers?.stop();
    });

    it('throttles sign-in by the browser address: a different X-Forwarded-For on each attempt does not reset the count', async () => {
      const username = `op-${randomUUID().slice(0, 8)}`;
      await createOperator(username, 'the real password 1');
      const login = (password: string, i: number) =>
        call(`${servers.consoleUrl}/api/v1/admin/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i}` },
          body: JSON.stringify({ username, password }),
        });
      for (let i = 1; i <= 5; i++) expect((await login('a wrong password', i)).status).toBe(401);
      // Had the console passed the header on alone, the API would see a sixth, fresh client here.
      const sixth = await login('the real password 1', 6);
      expect(sixth.status).toBe(429);
      expect(((await sixth.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    });
  });
});
