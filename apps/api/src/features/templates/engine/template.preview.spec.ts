import { describe, expect, it } from 'vitest';
import { previewTemplate, type PreviewResult } from './template.preview.js';
import { emailDraft, mjml, stored } from './template.fixtures.js';
import type { TemplateWarning } from './template.types.js';

const unknownPaths = (result: PreviewResult): string[] =>
  result.warnings
    .filter((w) => w.code === 'UNKNOWN_VARIABLE')
    .map((w) => w.message.replace(/^"(.*)" is not in the sample variables$/, '$1'));

const sms = (bodySource: string) => ({ version: stored({ channel: 'SMS', bodySource }) });

describe('preview: unknown variables', () => {
  it('lists variables the sample lacks, with their dotted path, field, and the line and column of the path', () => {
    const result = previewTemplate({
      ...sms('Hi {{name}},\nyour {{order.items.0.name}} costs {{order.total}}'),
      sample: { name: 'Ann', order: { items: [{ sku: 'T1' }] } },
    });
    expect(result.warnings).toEqual<TemplateWarning[]>([
      { code: 'UNKNOWN_VARIABLE', message: '"order.items.0.name" is not in the sample variables', field: 'body', line: 2, column: 8 },
      { code: 'UNKNOWN_VARIABLE', message: '"order.total" is not in the sample variables', field: 'body', line: 2, column: 37 },
    ]);
  });

  it('counts payload fields as present', () => {
    const result = previewTemplate({
      ...sms('{{userId}} {{recipientPhone}} {{code}}'),
      payload: { userId: 'u1', recipientPhone: '+1555' },
      sample: { code: 1 },
    });
    expect(unknownPaths(result)).toEqual([]);
  });

  it('ignores helper names, this, @data variables and block parameters', () => {
    const source =
      '{{formatDate when style="long"}} {{#each items as |item i|}}{{i}} {{@index}} {{this.sku}} {{item.sku}} {{@first}}{{/each}} {{#with order}}{{this}}{{/with}}';
    const result = previewTemplate({ ...sms(source), sample: { when: '2024-01-01', items: [{ sku: 'A' }], order: {} } });
    expect(unknownPaths(result)).toEqual([]);
  });

  it('checks paths inside loops against the items of the list, and ../ against the outer context', () => {
    const source = '{{#each items}}{{sku}} {{price}} {{../currency}} {{../shop.name}}{{/each}}';
    const result = previewTemplate({ ...sms(source), sample: { items: [{ sku: 'A' }], currency: 'EUR' } });
    expect(unknownPaths(result)).toEqual(['price', '../shop.name']);
  });

  it('checks #with, section blocks and @root', () => {
    const source =
      '{{#with customer}}{{name}} {{email}}{{/with}} {{#address}}{{city}} {{zip}}{{/address}} {{#each items}}{{@root.brand}}{{/each}}';
    const result = previewTemplate({
      ...sms(source),
      sample: { customer: { name: 'Ann' }, address: { city: 'Oslo' }, items: [1], brand: 'B' },
    });
    expect(unknownPaths(result)).toEqual(['email', 'zip']);
  });

  it('reports a missing list once and nothing below it', () => {
    const result = previewTemplate({ ...sms('{{#each lines}}{{name}} {{qty}}{{/each}}'), sample: {} });
    expect(unknownPaths(result)).toEqual(['lines']);
  });

  it('does not report the value given to default, which may be missing by design', () => {
    const result = previewTemplate({ ...sms('{{default nickname name}}'), sample: {} });
    expect(unknownPaths(result)).toEqual(['name']);
  });

  it('reads helper arguments, conditions and sub-expressions', () => {
    const result = previewTemplate({ ...sms('{{#if (eq plan "pro")}}{{formatCurrency total currency}}{{/if}}'), sample: { plan: 'pro' } });
    expect(unknownPaths(result)).toEqual(['total', 'currency']);
  });

  it('points into the MJML source the author wrote, not into the compiled HTML', () => {
    const result = previewTemplate({ draft: emailDraft(mjml('        <mj-text>Hi {{firstName}}</mj-text>')), sample: { name: 'Ann' } });
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: 'UNKNOWN_VARIABLE',
        field: 'body',
        line: 6,
        column: 23,
        message: expect.stringContaining('"firstName"'),
      }),
    ]);
  });
});

describe('preview: output', () => {
  it('renders a draft with sample variables without saving it', () => {
    const result = previewTemplate({ draft: emailDraft(mjml('        <mj-text>Hi {{name}}</mj-text>')), sample: { name: 'Ann' } });
    expect(result).toMatchObject({ ok: true, content: { subject: 'Hello Ann', text: 'Hi Ann' }, sms: null });
    expect(result.ok && result.content.html).toContain('Hi Ann');
  });

  it('renders a draft with MJML errors anyway and lists them as warnings', () => {
    const result = previewTemplate({
      draft: emailDraft(mjml('        <mj-text padding-everywhere="1px">Hi {{name}}</mj-text>')),
      sample: { name: 'Ann' },
    });
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: 'MJML_INVALID',
        field: 'body',
        line: 6,
        column: 9,
        message: expect.stringContaining('padding-everywhere'),
      }),
    ]);
  });

  it('returns errors for a draft that cannot render', () => {
    const result = previewTemplate({ draft: { channel: 'SMS', body: 'Hi {{name' } });
    expect(result).toMatchObject({ ok: false, errors: [{ code: 'TEMPLATE_INVALID', field: 'body', line: 1, column: 4 }] });
  });

  it('passes on helper warnings', () => {
    const result = previewTemplate({ ...sms('{{formatNumber n}}'), sample: { n: 'lots' } });
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'HELPER_INVALID_INPUT', field: 'body' })]);
  });

  it('reports length, encoding and segments of the rendered SMS', () => {
    const result = previewTemplate({ ...sms('Hi {{name}}, your code is {{code}}'), sample: { name: 'Zoë 😀', code: 1234 } });
    expect(result).toMatchObject({ ok: true, content: { body: 'Hi Zoë 😀, your code is 1234' } });
    expect(result.ok && result.sms).toMatchObject({ encoding: 'UCS-2', characters: 27, units: 28, segments: 1 });
  });

  it('returns a render failure as an error', () => {
    const result = previewTemplate({ ...sms('{{big}}{{big}}{{big}}'), sample: { big: 'x'.repeat(100 * 1024) } });
    expect(result).toMatchObject({ ok: false, errors: [{ code: 'TEMPLATE_OUTPUT_TOO_LARGE' }] });
  });
});
