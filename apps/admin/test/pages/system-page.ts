import type { Page } from 'playwright-core';

/** /operator/system: each service and infrastructure component as the API found it just now. */
export class SystemPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async open() {
    await this.page.goto(`${this.baseUrl}/operator/system`);
    await this.waitForReport();
  }

  async waitForReport() {
    await this.page.getByRole('heading', { name: 'System', level: 1 }).waitFor();
    await this.page.getByText(/^Checked at/).waitFor();
  }

  service(name: string) {
    return this.page
      .getByRole('table', { name: 'Orqestra services' })
      .getByRole('row')
      .filter({ has: this.page.getByText(name, { exact: true }) });
  }

  /** The Status cell of a service's row (badge text and, when it failed, why). */
  serviceStatus(name: string) {
    return this.service(name).getByRole('cell').nth(1);
  }

  componentStatus(name: string) {
    return this.component(name).getByRole('cell').nth(1);
  }

  component(name: string) {
    return this.page
      .getByRole('table', { name: 'Infrastructure the services depend on' })
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell', { name, exact: true }) });
  }

  /** A card of the page: Services, Infrastructure, Encryption, Retention, Metrics and reference. */
  card(name: string) {
    return this.page.getByRole('region', { name });
  }

  async checkAgain() {
    const answered = this.page.waitForResponse((r) => r.url().endsWith('/api/v1/admin/system'));
    await this.page.getByRole('button', { name: 'Check again' }).click();
    return answered;
  }
}
