import type { Page } from 'playwright-core';

/** /operator/tenants: list, search, and the create wizard that shows the API key once. */
export class TenantsPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async open() {
    await this.page.goto(`${this.baseUrl}/operator/tenants`);
    await this.page.getByRole('heading', { name: 'Tenants', level: 1 }).waitFor();
  }

  async create(name: string): Promise<string> {
    await this.page.getByRole('button', { name: 'Create tenant' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Create tenant' });
    await dialog.getByLabel('Name').fill(name);
    const answered = this.page.waitForResponse((r) => r.url().endsWith('/api/v1/admin/tenants') && r.request().method() === 'POST');
    await dialog.getByRole('button', { name: 'Create tenant' }).click();
    await answered;
    const key = dialog.getByRole('status').filter({ hasText: 'shown only once' }).locator('code');
    return (await key.textContent()) ?? '';
  }

  async closeWizard() {
    await this.page.getByRole('dialog', { name: 'Create tenant' }).getByRole('button', { name: 'Done' }).click();
  }

  row(name: string) {
    return this.page.getByRole('row').filter({ hasText: name });
  }
}
