import { describe, expect, it } from 'vitest';
import { compileTemplate } from './template.compiler.js';
import { emailDraft, errorsOf, mjml, versionOf } from './template.fixtures.js';
import type { TemplateDraft } from './template.types.js';

const sms = (body: string): TemplateDraft => ({ channel: 'SMS', body });
const push = (extra: Partial<TemplateDraft> = {}): TemplateDraft => ({
  channel: 'PUSH',
  title: 'Hi {{name}}',
  pushBody: 'Your order {{orderId}} shipped',
  ...extra,
});

describe('invalid Handlebars at save time', () => {
  it('reports a syntax error in the body with its 1-based line and column', () => {
    const errors = errorsOf(
      compileTemplate(emailDraft(mjml('        <mj-text>Total: {{formatNumber total minimumFractionDigits=}}</mj-text>'))),
    );
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'TEMPLATE_INVALID',
        field: 'body',
        line: 6,
        column: 68,
        message: expect.stringContaining('unexpected "}}"'),
      }),
    ]);
  });

  it('points at an unclosed {{ rather than at the end of the text', () => {
    const errors = errorsOf(compileTemplate(sms('Hi {{name,\nsee you')));
    expect(errors[0]).toMatchObject({ field: 'body', line: 1, column: 4 });
  });

  it('points at the opening of a block that is never closed', () => {
    const errors = errorsOf(compileTemplate(sms('Line one\n  {{#if vip}}VIP')));
    expect(errors[0]).toMatchObject({ line: 2, column: 3, message: expect.stringContaining('{{#if vip}} is never closed') });
  });

  it('reports a block closed by the wrong name', () => {
    const errors = errorsOf(compileTemplate(sms('{{#if a}}\n{{#each b}}x{{/if}}')));
    expect(errors[0]).toMatchObject({ line: 2, message: expect.stringContaining("each doesn't match if") });
  });

  it('checks every source field: subject, text part, push title, push body and strings inside push data', () => {
    expect(errorsOf(compileTemplate(emailDraft(mjml('<mj-text>x</mj-text>'), { subject: 'Hi {{' })))[0]).toMatchObject({
      field: 'subject',
      line: 1,
      column: 4,
    });
    expect(errorsOf(compileTemplate(emailDraft(mjml('<mj-text>x</mj-text>'), { textBody: 'a\n{{#if}}' })))[0]).toMatchObject({
      field: 'textBody',
      line: 2,
    });
    expect(errorsOf(compileTemplate(push({ title: '{{}}' })))[0]).toMatchObject({ field: 'title', line: 1 });
    expect(errorsOf(compileTemplate(push({ pushBody: 'x }} {{/y}}' })))[0]).toMatchObject({ field: 'pushBody' });
    const data = { url: 'https://x.test/{{id}}', links: [{ label: 'ok' }, { label: 'Open {{#each}}' }] };
    expect(errorsOf(compileTemplate(push({ data })))[0]).toMatchObject({ field: 'data.links.1.label', line: 1 });
  });

  it('rejects partials, decorators and raw blocks', () => {
    expect(errorsOf(compileTemplate(sms('Hi {{> footer}}')))[0]).toMatchObject({ column: 4, message: expect.stringContaining('Partials') });
    expect(errorsOf(compileTemplate(sms('{{#> layout}}x{{/layout}}')))[0]?.message).toContain('Partials');
    expect(errorsOf(compileTemplate(sms('{{#*inline "p"}}x{{/inline}}')))[0]?.message).toContain('inline partials');
    expect(errorsOf(compileTemplate(sms('a {{{{raw}}}} {{x}} {{{{/raw}}}}')))[0]).toMatchObject({
      column: 3,
      message: expect.stringContaining('Raw blocks'),
    });
  });

  it('rejects helpers that do not exist, since tenants cannot define any', () => {
    const errors = errorsOf(compileTemplate(sms('Hi {{shout name}} {{#repeat 3}}x{{/repeat}} {{upper (lower name)}}')));
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringContaining('Unknown helper "shout"'),
      expect.stringContaining('Unknown helper "repeat"'),
      expect.stringContaining('Unknown helper "upper"'),
      expect.stringContaining('Unknown helper "lower"'),
    ]);
    expect(errors[0]?.message).toContain('formatDate');
    expect(errorsOf(compileTemplate(sms('{{log "x"}}')))[0]?.message).toContain('Unknown helper "log"');
  });

  it('rejects built-in block helpers called with the wrong number of values', () => {
    expect(errorsOf(compileTemplate(sms('{{#each}}x{{/each}}')))[0]?.message).toContain('"each" takes exactly 1 value, got 0');
    expect(errorsOf(compileTemplate(sms('{{#if a b}}x{{/if}}')))[0]?.message).toContain('"if" takes exactly 1 value, got 2');
    expect(errorsOf(compileTemplate(sms('{{if a}}')))[0]?.message).toContain('block helper');
  });

  it('accepts plain variables, dotted paths and section blocks, known or not', () => {
    const version = versionOf(
      compileTemplate(sms('{{userId}} {{order.items.0.name}} {{#items}}{{name}}{{/items}} {{^items}}none{{/items}} {{lookup map key}}')),
    );
    expect(version.bodySource).toContain('{{order.items.0.name}}');
  });
});

describe('limits at save time', () => {
  it('rejects a field over 100 KiB with TEMPLATE_TOO_LARGE', () => {
    const errors = errorsOf(compileTemplate(sms('x'.repeat(100 * 1024 + 1))));
    expect(errors).toEqual([expect.objectContaining({ code: 'TEMPLATE_TOO_LARGE', field: 'body' })]);
    expect(compileTemplate(sms('x'.repeat(100 * 1024))).ok).toBe(true);
  });

  it('counts bytes, not characters', () => {
    // 40 000 × "é" is 80 000 bytes (fine); 60 000 × "é" is 120 000 bytes (too large).
    expect(compileTemplate(sms('é'.repeat(40_000))).ok).toBe(true);
    expect(errorsOf(compileTemplate(sms('é'.repeat(60_000))))[0]?.code).toBe('TEMPLATE_TOO_LARGE');
  });

  it('rejects fields that are each within the limit but add up to more', () => {
    const half = 'y'.repeat(60 * 1024);
    const errors = errorsOf(compileTemplate(push({ title: half, pushBody: half })));
    expect(errors).toEqual([expect.objectContaining({ code: 'TEMPLATE_TOO_LARGE', field: 'template' })]);
  });

  it('counts push data as JSON', () => {
    const errors = errorsOf(compileTemplate(push({ data: { blob: 'z'.repeat(101 * 1024) } })));
    expect(errors[0]).toMatchObject({ code: 'TEMPLATE_TOO_LARGE', field: 'data' });
  });
});

describe('channels at save time', () => {
  it('EMAIL needs a subject, a body and an mjml or html body format', () => {
    const errors = errorsOf(compileTemplate({ channel: 'EMAIL', subject: ' ', bodyFormat: 'text', body: '' }));
    expect(errors.map((e) => e.field)).toEqual(['subject', 'body', 'bodyFormat']);
    expect(errors.every((e) => e.code === 'TEMPLATE_INVALID')).toBe(true);
  });

  it('EMAIL keeps a given text part and leaves it empty (derived per send) otherwise', () => {
    expect(versionOf(compileTemplate(emailDraft(mjml('<mj-text>x</mj-text>'), { textBody: 'Hi {{name}}' }))).textBody).toBe('Hi {{name}}');
    expect(versionOf(compileTemplate(emailDraft(mjml('<mj-text>x</mj-text>')))).textBody).toBeNull();
  });

  it('SMS needs a body and reports length, encoding and segments of its source', () => {
    expect(errorsOf(compileTemplate(sms('')))[0]).toMatchObject({ field: 'body', message: 'An SMS body is required' });
    const result = compileTemplate(sms('Your code is {{code}} ✅'));
    expect(result.ok && result.sms).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(result.ok && result.version).toMatchObject({
      channel: 'SMS',
      bodyFormat: 'text',
      bodySource: 'Your code is {{code}} ✅',
      compiledHtml: null,
    });
  });

  it('PUSH needs a title and a body, and a category from info|success|warning|alert|error', () => {
    expect(errorsOf(compileTemplate({ channel: 'PUSH', category: 'urgent' })).map((e) => e.field)).toEqual([
      'title',
      'pushBody',
      'category',
    ]);
    expect(versionOf(compileTemplate(push())).category).toBe('info');
    expect(versionOf(compileTemplate(push({ category: 'alert' }))).category).toBe('alert');
  });

  it('PUSH data must be a JSON object', () => {
    expect(errorsOf(compileTemplate(push({ data: ['a'] as unknown as Record<string, unknown> })))[0]).toMatchObject({ field: 'data' });
    expect(versionOf(compileTemplate(push({ data: { url: '/orders/{{orderId}}', n: 1 } }))).data).toEqual({
      url: '/orders/{{orderId}}',
      n: 1,
    });
  });

  it('stores only the fields the channel uses', () => {
    const version = versionOf(compileTemplate({ ...push(), subject: 'ignored', body: 'ignored' }));
    expect(version).toMatchObject({ subject: null, bodySource: null, title: 'Hi {{name}}' });
  });
});
