import type { Page } from 'playwright-core';

/** /tenant/providers: add-provider drawer from the credential schema, test connection. */
export class ProvidersPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async open() {
    await this.page.goto(`${this.baseUrl}/tenant/providers`);
    await this.page.getByRole('heading', { name: 'Providers', level: 1 }).waitFor();
  }

  async addResend(apiKey: string, fromAddress: string) {
    await this.page.getByRole('button', { name: 'Add provider' }).click();
    const drawer = this.page.getByRole('dialog', { name: 'Add provider' });
    await drawer.getByLabel('Provider', { exact: true }).selectOption('resend');
    await drawer.getByLabel('API key').fill(apiKey);
    await drawer.getByLabel('From address').fill(fromAddress);
    const answered = this.page.waitForResponse((r) => r.url().endsWith('/api/v1/tenant/providers') && r.request().method() === 'POST');
    await drawer.getByRole('button', { name: 'Save provider' }).click();
    return answered;
  }
}
