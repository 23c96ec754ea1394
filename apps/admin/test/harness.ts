import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { LoginPage } from './pages/login-page.js';
import { api, createOperator, launchBrowser, startServers, withDeadline, type Servers } from './support.js';

/**
 * What every browser spec of the console shares: its own servers, Debian's Chromium, a seeding
 * operator, and helpers that seed through the API (never the database) and sign people in.
 */
export const PASSWORD = 'a long enough password 1';
const IMG = fileURLToPath(new URL('../../../docs/img/', import.meta.url));

export interface SeededTenant {
  id: string;
  name: string;
  apiKey: string;
  adminEmail: string;
  adminToken: string;
}

export class ConsoleHarness {
  servers!: Servers;
  browser!: Browser;
  /** The seeding operator's token from start(); it lasts the API's ADMIN_ACCESS_TOKEN_SECONDS. */
  seedToken!: string;
  private seeder = '';
  private readonly contexts: BrowserContext[] = [];

  async start(options: Parameters<typeof startServers>[0] = {}): Promise<void> {
    [this.servers, this.browser] = await Promise.all([startServers(options), launchBrowser()]);
    this.seeder = `seed-${randomUUID().slice(0, 8)}`;
    await createOperator(this.seeder, 'temporary password 1');
    this.seedToken = await this.tokenFor('admin', this.seeder, 'temporary password 1');
  }

  /** A fresh token of the seeding operator (an API started with a short token lifetime outlives seedToken). */
  async freshSeedToken(): Promise<string> {
    const signedIn = await api<{ accessToken: string }>(this.servers.apiUrl, '/api/v1/admin/auth/login', {
      body: { username: this.seeder, password: PASSWORD },
    });
    expect(signedIn.status).toBe(200);
    return signedIn.body.accessToken;
  }

  /** Closes what it opened; each step has a deadline, so a stuck browser cannot hang the suite. */
  async stop(): Promise<void> {
    const quietly = (work: Promise<unknown> | undefined, what: string) =>
      withDeadline(Promise.resolve(work), 30_000, what).catch(() => undefined);
    for (const c of this.contexts) await quietly(c.close(), 'closing a browser context');
    await quietly(this.browser?.close(), 'closing Chromium');
    await this.servers?.stop();
  }

  async newPage(): Promise<Page> {
    const context = await this.browser.newContext({ viewport: { width: 1400, height: 900 } });
    context.setDefaultTimeout(45_000);
    this.contexts.push(context);
    return context.newPage();
  }

  /** A person with a temporary password who changed it through the API (for tests about something else). */
  async tokenFor(realm: 'admin' | 'tenant', login: string, temporary: string): Promise<string> {
    const body = realm === 'admin' ? { username: login, password: temporary } : { email: login, password: temporary };
    const signedIn = await api<{ accessToken: string }>(this.servers.apiUrl, `/api/v1/${realm}/auth/login`, { body });
    expect(signedIn.status).toBe(200);
    const changed = await api<{ accessToken: string }>(this.servers.apiUrl, `/api/v1/${realm}/auth/change-password`, {
      token: signedIn.body.accessToken,
      body: { currentPassword: temporary, newPassword: PASSWORD },
    });
    expect(changed.status).toBe(200);
    return changed.body.accessToken;
  }

  async seedTenant(): Promise<SeededTenant> {
    const name = `Acme ${randomUUID().slice(0, 8)}`;
    const token = await this.freshSeedToken();
    const created = await api<{ data: { tenant: { id: string }; apiKey: string } }>(this.servers.apiUrl, '/api/v1/admin/tenants', {
      token,
      body: { name },
    });
    expect(created.status).toBe(201);
    const id = created.body.data.tenant.id;
    const adminEmail = `ada-${randomUUID().slice(0, 8)}@acme.example`;
    const admin = await api<{ data: { temporaryPassword: string } }>(this.servers.apiUrl, `/api/v1/admin/tenants/${id}/admins`, {
      token,
      body: { email: adminEmail, role: 'admin' },
    });
    expect(admin.status).toBe(201);
    return {
      id,
      name,
      apiKey: created.body.data.apiKey,
      adminEmail,
      adminToken: await this.tokenFor('tenant', adminEmail, admin.body.data.temporaryPassword),
    };
  }

  async signIn(page: Page, realm: 'admin' | 'tenant', login: string, password = PASSWORD): Promise<void> {
    const loginPage = new LoginPage(page, this.servers.consoleUrl);
    await loginPage.open(realm);
    expect((await loginPage.signIn(realm, login, password)).status()).toBe(200);
    await page.waitForURL(realm === 'admin' ? /\/operator/ : /\/tenant/);
  }
}

/** Waits on visible state with a deadline (the machine is shared: generous, never a sleep). */
export const poll = <T>(probe: () => T | Promise<T>) => expect.poll(probe, { timeout: 30_000, interval: 200 });

/**
 * `shot(page, name)` writes docs/img/<name>.png when `enabled` (the specs pass CONSOLE_SCREENSHOTS=1):
 * the screenshots of docs/console.md, taken by the test run.
 */
export function screenshots(enabled: boolean): (page: Page, name: string) => Promise<void> {
  return async (page, name) => {
    if (!enabled) return;
    mkdirSync(IMG, { recursive: true });
    await page.screenshot({ path: `${IMG}${name}.png` });
  };
}
