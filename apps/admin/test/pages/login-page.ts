import type { Page } from 'playwright-core';

/** /login: operator (username) or tenant admin (email) tab. */
export class LoginPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async open(realm: 'admin' | 'tenant' = 'admin') {
    await this.page.goto(`${this.baseUrl}/login?realm=${realm}`);
    await this.page.getByRole('heading', { name: 'Sign in to Orqestra' }).waitFor();
  }

  async signIn(realm: 'admin' | 'tenant', login: string, password: string) {
    await this.page.getByRole('radio', { name: realm === 'admin' ? 'Platform operator' : 'Tenant admin' }).check();
    await this.page.getByLabel(realm === 'admin' ? 'Username' : 'Email').fill(login);
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    const answered = this.page.waitForResponse((r) => r.url().endsWith('/auth/login'));
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    return answered;
  }

  refusal() {
    return this.page.getByRole('alert').filter({ hasText: 'Sign-in refused' });
  }
}
