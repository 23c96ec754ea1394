import type { FrameLocator, Page } from 'playwright-core';

/**
 * The split template editor: CodeMirror source, live sandboxed preview, versions with rollback.
 * `area` tenant: /tenant/templates/:id; operator: a global template at /operator/templates/:id.
 */
export class TemplateEditorPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
    readonly area: 'tenant' | 'operator' = 'tenant',
  ) {}

  async open(id: string) {
    await this.page.goto(`${this.baseUrl}/${this.area}/templates/${id}`);
  }

  /** The API collection a save posts to. */
  private get collection() {
    return this.area === 'tenant' ? '/api/v1/tenant/templates' : '/api/v1/admin/global-templates';
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
    const answered = this.page.waitForResponse((r) => r.url().endsWith(this.collection) && r.request().method() === 'POST');
    await this.page.getByRole('button', { name: 'Save version' }).click();
    return answered;
  }

  /** The versions sidebar. */
  versions() {
    return this.page.getByRole('region', { name: 'Versions' });
  }

  async activate(version: number) {
    await this.page.getByRole('button', { name: `Activate v${version}` }).click();
    const answered = this.page.waitForResponse((r) => r.url().endsWith('/activate'));
    await this.page.getByRole('button', { name: 'Confirm activation' }).click();
    return answered;
  }
}
