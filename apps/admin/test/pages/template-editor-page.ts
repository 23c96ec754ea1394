import type { FrameLocator, Page } from 'playwright-core';

/** /tenant/templates/:id: CodeMirror source, live sandboxed preview, versions with rollback. */
export class TemplateEditorPage {
  constructor(readonly page: Page, readonly baseUrl: string) {}

  async open(id: string) {
    await this.page.goto(`${this.baseUrl}/tenant/templates/${id}`);
  }

  async waitForEditor() {
    await this.page.getByRole('textbox', { name: 'Body source' }).waitFor();
  }

  async replaceBody(source: string) {
    const editor = this.page.getByRole('textbox', { name: 'Body source' });
    await editor.click();
    await this.page.keyboard.press('ControlOrMeta+a');
    await this.page.keyboard.press('Delete');
    await editor.fill(source);
  }

  previewFrame(): FrameLocator {
    return this.page.frameLocator('iframe[title="Template preview"]');
  }

  previewIframe() {
    return this.page.locator('iframe[title="Template preview"]');
  }

  problems() {
    return this.page.getByRole('alert').filter({ hasText: 'This draft cannot be saved' });
  }

  async save() {
    const answered = this.page.waitForResponse((r) => r.url().endsWith('/api/v1/tenant/templates') && r.request().method() === 'POST');
    await this.page.getByRole('button', { name: 'Save version' }).click();
    return answered;
  }

  async activate(version: number) {
    await this.page.getByRole('button', { name: `Activate v${version}` }).click();
    const answered = this.page.waitForResponse((r) => r.url().endsWith('/activate'));
    await this.page.getByRole('button', { name: 'Confirm activation' }).click();
    return answered;
  }
}
