import type { FrameLocator, Page } from 'playwright-core';

/** /tenant/sandbox: start a session (key shown once), captured messages with their preview. */
export class SandboxPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async open() {
    await this.page.goto(`${this.baseUrl}/tenant/sandbox`);
    await this.page.getByRole('heading', { name: 'Sandbox', level: 1 }).waitFor();
  }

  /** Starts a session bound to the caller's address; answers the key, shown once. */
  async start(): Promise<string> {
    const answered = this.page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/tenant/sandbox/sessions') && r.request().method() === 'POST',
    );
    await this.page.getByRole('button', { name: 'Start sandbox session' }).click();
    await answered;
    return (await this.page.getByRole('status').filter({ hasText: 'shown only once' }).locator('code').textContent()) ?? '';
  }

  captured() {
    return this.page.getByRole('table', { name: 'Captured messages' });
  }

  drawer() {
    return this.page.getByRole('dialog', { name: 'Captured message' });
  }

  previewFrame(): FrameLocator {
    return this.page.frameLocator('iframe[title="Captured email preview"]');
  }
}
