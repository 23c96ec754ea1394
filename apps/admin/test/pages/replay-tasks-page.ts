import type { Page } from 'playwright-core';

/** /operator/tasks: finished bulk replays and discards, from their summary audit entries. */
export class ReplayTasksPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async open() {
    await this.page.goto(`${this.baseUrl}/operator/tasks`);
    await this.page.getByRole('heading', { name: 'Replay tasks', level: 1 }).waitFor();
  }

  note() {
    return this.page.getByRole('note');
  }

  /** The row of the call made with this reason. */
  row(reason: string) {
    return this.page
      .getByRole('table', { name: /Finished bulk replays and discards/ })
      .getByRole('row')
      .filter({ hasText: reason });
  }

  auditLink(reason: string) {
    return this.row(reason).getByRole('link', { name: /^Open entry/ });
  }
}
