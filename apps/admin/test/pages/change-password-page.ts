import type { Page } from 'playwright-core';

/** /change-password (forced after a temporary password) and the same form on Account pages. */
export class ChangePasswordPage {
  constructor(readonly page: Page) {}

  async waitForForced() {
    await this.page.waitForURL(/\/change-password/);
    await this.page.getByText('Your password is temporary').waitFor();
  }

  async change(current: string, next: string) {
    await this.page.getByLabel('Current password').fill(current);
    await this.page.getByLabel('New password', { exact: true }).fill(next);
    await this.page.getByLabel('Confirm new password').fill(next);
    const answered = this.page.waitForResponse((r) => r.url().endsWith('/auth/change-password'));
    await this.page.getByRole('button', { name: 'Change password' }).click();
    return answered;
  }
}
