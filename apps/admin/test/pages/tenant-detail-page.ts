import type { Page } from 'playwright-core';

/** /operator/tenants/:id with its tabs (the tab is in the URL). */
export class TenantDetailPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async open(id: string, tab = 'settings') {
    await this.page.goto(`${this.baseUrl}/operator/tenants/${id}?tab=${tab}`);
    await this.page.getByRole('note').filter({ hasText: 'as operator' }).waitFor();
  }

  async addAdmin(email: string, role: 'admin' | 'viewer'): Promise<string> {
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Role').selectOption(role);
    const answered = this.page.waitForResponse((r) => r.url().includes('/admins') && r.request().method() === 'POST');
    await this.page.getByRole('button', { name: 'Add admin' }).click();
    await answered;
    return (await this.page.getByRole('status').filter({ hasText: 'Temporary password' }).locator('code').textContent()) ?? '';
  }
}
