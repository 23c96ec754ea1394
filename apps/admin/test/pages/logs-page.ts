import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** /tenant/logs: facet filters in the URL, rows that open the lifecycle drawer. */
export class LogsPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async open(query = '') {
    await this.page.goto(`${this.baseUrl}/tenant/logs${query}`);
    await this.page.getByRole('heading', { name: 'Logs', level: 1 }).waitFor();
  }

  async filter(label: string, value: string) {
    const field = this.page.getByLabel(label, { exact: true });
    if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
    await this.page.getByRole('button', { name: 'Apply filters' }).click();
  }

  rows() {
    return this.page.getByRole('table', { name: 'Notifications' }).getByRole('row');
  }

  openButton(eventType: string) {
    return this.page.getByRole('button', { name: new RegExp(`^Open ${eventType.replace('.', '\\.')}`) });
  }

  drawer() {
    return this.page.getByRole('dialog', { name: 'Notification lifecycle' });
  }

  /** "N new notifications since the list was loaded" with its Show button. */
  newBanner() {
    return this.page.getByRole('status').filter({ hasText: 'since the list was loaded' });
  }

  async range(label: string) {
    await this.page.getByLabel('Time range').selectOption({ label });
  }

  /** Clicks Export CSV (on the logs or the audit page) and answers the downloaded file's text. */
  async exportCsv(): Promise<string> {
    const download = this.page.waitForEvent('download');
    await this.page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await (await download).path();
    return readFileSync(file, 'utf8');
  }
}
