import type { Page } from 'playwright-core';

/** /tenant/dlq: facets in the URL, the dead-letter drawer, bulk replay by filter with a dry run. */
export class DlqPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async open(query = '') {
    await this.page.goto(`${this.baseUrl}/tenant/dlq${query}`);
    await this.page.getByRole('heading', { name: 'Dead letters', level: 1 }).waitFor();
  }

  drawer() {
    return this.page.getByRole('dialog', { name: 'Dead letter' });
  }

  bulkDialog() {
    return this.page.getByRole('dialog', { name: 'Bulk replay by filter' });
  }

  /** Dry run of the page's filter; answers the matching count the dialog shows. */
  async dryRun(): Promise<string> {
    await this.page.getByRole('button', { name: 'Bulk replay by filter…' }).click();
    const answered = this.page.waitForResponse((r) => r.url().endsWith('/api/v1/tenant/dlq/replay') && r.request().method() === 'POST');
    await this.bulkDialog().getByRole('button', { name: 'Dry run' }).click();
    await answered;
    return (await this.bulkDialog().getByRole('status').filter({ hasText: 'Dry run:' }).textContent()) ?? '';
  }

  async replay(reason: string, count: number) {
    await this.bulkDialog().getByLabel('Reason (required, audited)').fill(reason);
    const answered = this.page.waitForResponse((r) => r.url().endsWith('/api/v1/tenant/dlq/replay') && r.request().method() === 'POST');
    await this.bulkDialog()
      .getByRole('button', { name: `Replay ${count} dead letters` })
      .click();
    return answered;
  }
}
