import type { Page } from 'playwright-core';

/** /operator/templates: the global.* matrix (event type and locale × channel), its search, and creating one. */
export class GlobalTemplatesPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async open(search?: string) {
    await this.page.goto(`${this.baseUrl}/operator/templates${search ? `?search=${encodeURIComponent(search)}` : ''}`);
    await this.page.getByRole('heading', { name: 'Global templates', level: 1 }).waitFor();
  }

  matrix() {
    return this.page.getByRole('table', { name: /Global templates by event type and locale/ });
  }

  /** The matrix row of an event type in a locale. */
  row(eventType: string, locale: string) {
    return this.matrix()
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell', { name: eventType, exact: true }) })
      .filter({ has: this.page.getByRole('cell', { name: locale, exact: true }) });
  }

  /** The link of one template (named "<event type> <channel> <locale>: v<n>" or ": edit (latest v<n>)"). */
  templateLink(eventType: string, channel: string, locale: string) {
    return this.matrix().getByRole('link', {
      name: new RegExp(`^${eventType.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ${channel} ${locale}: `),
    });
  }

  /** The cell of a channel in a row (columns: event type, locale, EMAIL, SMS, PUSH). */
  cell(eventType: string, locale: string, channel: 'EMAIL' | 'SMS' | 'PUSH') {
    return this.row(eventType, locale)
      .getByRole('cell')
      .nth(2 + ['EMAIL', 'SMS', 'PUSH'].indexOf(channel));
  }

  async search(text: string) {
    await this.page.getByLabel('Event type contains').fill(text);
    await this.page.getByRole('button', { name: 'Apply filters' }).click();
  }
}
