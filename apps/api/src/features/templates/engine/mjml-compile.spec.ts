import { describe, expect, it } from 'vitest';
import { compileTemplate } from './template.compiler.js';
import { TemplateRenderer } from './template.renderer.js';
import { emailDraft, errorsOf, mjml, versionOf } from './template.fixtures.js';

describe('MJML bodies at save time', () => {
  it('compiles MJML to HTML once and leaves every Handlebars expression intact for each send', () => {
    const expressions = [
      '{{name}}',
      '{{#if (eq plan "pro")}}',
      '{{else if (gt seats 10)}}',
      '{{else}}',
      '{{/if}}',
      '{{{signatureHtml}}}',
      '{{~trimmed~}}',
      "{{default nickname 'friend'}}",
      '{{formatCurrency total "EUR" minimumFractionDigits=2}}',
      '{{#each items as |item i|}}',
      '{{item.name}}',
      '{{/each}}',
    ];
    const body = mjml(
      [
        `        <mj-text>Hi ${expressions[0]}, ${expressions.slice(1, 6).join(' ')} ${expressions[6]} ${expressions[7]} ${expressions[8]}</mj-text>`,
        `        <mj-table>${expressions[9]}<tr><td>${expressions[10]}</td></tr>${expressions[11]}</mj-table>`,
      ].join('\n'),
    );
    const html = versionOf(compileTemplate(emailDraft(body))).compiledHtml ?? '';
    expect(html).toMatch(/^<!doctype html>/i);
    for (const expression of expressions) expect(html).toContain(expression);
    expect(html).not.toContain('mj-text');
  });

  it('keeps expressions in text attributes and colours, wherever MJML copies them', () => {
    const body = mjml(
      '        <mj-button href="{{url}}?ref={{default ref "mail"}}" background-color="{{brandColor}}">Open</mj-button>\n' +
        '        <mj-image src="{{logoUrl}}" alt="{{company}}" />',
    );
    const html = versionOf(compileTemplate(emailDraft(body))).compiledHtml ?? '';
    expect(html).toContain('href="{{url}}?ref={{default ref "mail"}}"');
    expect(html).toContain('src="{{logoUrl}}"');
    expect(html).toContain('alt="{{company}}"');
    expect(html).toContain('bgcolor="{{brandColor}}"');
  });

  it('accepts expressions in mj-raw, mj-button, mj-preview and HTML nested inside mj-text', () => {
    const body = mjml(
      '        <mj-raw><div class="{{cls}}">{{rawText}}</div></mj-raw>\n' +
        '        <mj-button href="https://x.test">Pay {{amount}}</mj-button>\n' +
        '        <mj-text><a href="{{link}}" {{#if bold}}style="font-weight:bold"{{/if}}>{{label}}</a></mj-text>',
      '<mj-preview>{{preheader}}</mj-preview><mj-title>{{title}}</mj-title>',
    );
    const html = versionOf(compileTemplate(emailDraft(body))).compiledHtml ?? '';
    for (const expression of [
      '{{cls}}',
      '{{rawText}}',
      '{{amount}}',
      '{{link}}',
      '{{#if bold}}',
      '{{label}}',
      '{{preheader}}',
      '{{title}}',
    ]) {
      expect(html).toContain(expression);
    }
  });

  it('drops Handlebars comments, which render nothing, wherever they stand', () => {
    const body = mjml('        {{!-- hero section --}}\n        <mj-text>Hi{{! a note to editors }}</mj-text>');
    const html = versionOf(compileTemplate(emailDraft(body))).compiledHtml ?? '';
    expect(html).not.toContain('hero section');
    expect(html).not.toContain('a note to editors');
  });

  it('rejects a block between <mj-section> and <mj-column>, naming the element, line and column', () => {
    const body = [
      '<mjml>',
      '  <mj-body>',
      '    <mj-section>',
      '      {{#each items}}',
      '      <mj-column><mj-text>{{name}}</mj-text></mj-column>',
      '      {{/each}}',
      '    </mj-section>',
      '  </mj-body>',
      '</mjml>',
    ].join('\n');
    const errors = errorsOf(compileTemplate(emailDraft(body)));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ code: 'TEMPLATE_INVALID', field: 'body', line: 4, column: 7 });
    expect(errors[0]?.message).toContain('{{#each items}} stands directly inside <mj-section>');
    expect(errors[0]?.message).toContain('mj-text');
    expect(errors[1]).toMatchObject({ line: 6, column: 7 });
  });

  it('rejects expressions outside the <mjml> element and in the markup of a tag', () => {
    const errors = errorsOf(compileTemplate(emailDraft(`{{greeting}}\n${mjml('        <mj-text {{attrs}}>x</mj-text>')}`)));
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [1, 1],
      [7, 18],
    ]);
    expect(errors[0]?.message).toContain('outside the <mjml> element');
    expect(errors[1]?.message).toContain('inside the <mj-text> tag itself');
  });

  it('rejects an expression in an attribute MJML computes with, saying which and why', () => {
    const errors = errorsOf(compileTemplate(emailDraft(mjml('        <mj-image src="a.png" width="{{width}}" />'))));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 6, column: 38 });
    expect(errors[0]?.message).toContain('the width attribute of <mj-image>');
    expect(errors[0]?.message).toContain('unit(px)');
  });

  it('rejects a block that opens in one element and closes in another', () => {
    const body = mjml('        <mj-text>{{#if vip}}Dear VIP</mj-text>\n        <mj-text>welcome{{/if}}</mj-text>');
    const errors = errorsOf(compileTemplate(emailDraft(body)));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 7, column: 25 });
    expect(errors[0]?.message).toMatch(
      /\{\{\/if\}\} is in <mj-text> but its block \{\{#if vip\}\} opens in another place \(<mj-text>, line 6, column 18\)/,
    );
  });

  it('lets a block wrap whole sections through sibling <mj-raw> elements', () => {
    const body = [
      '<mjml>',
      '  <mj-body>',
      '    <mj-raw>{{#each products}}</mj-raw>',
      '    <mj-section><mj-column><mj-text>{{name}}</mj-text></mj-column></mj-section>',
      '    <mj-raw>{{/each}}</mj-raw>',
      '  </mj-body>',
      '</mjml>',
    ].join('\n');
    const version = versionOf(compileTemplate(emailDraft(body)));
    const html = version.compiledHtml ?? '';
    const open = html.indexOf('{{#each products}}');
    const close = html.indexOf('{{/each}}');
    expect(open).toBeGreaterThan(0);
    expect(html.slice(open, close)).toContain('{{name}}');
    expect(html.slice(open, close)).toMatch(/<table[\s\S]*<\/table>/);
    const rendered = new TemplateRenderer().render(version, { variables: { products: [{ name: 'Tea' }, { name: 'Cup' }] } });
    expect(rendered.ok && rendered.content.text).toBe('Tea\n\nCup');
  });

  it('rejects a block across <mj-raw> elements of different parents', () => {
    const body = mjml('        <mj-raw>{{#if a}}</mj-raw>', '').replace('</mj-section>', '</mj-section>\n    <mj-raw>{{/if}}</mj-raw>');
    const errors = errorsOf(compileTemplate(emailDraft(body)));
    expect(errors[0]?.message).toContain('opens in another place (an <mj-raw> inside <mj-column>');
  });

  it('rejects expressions inside mj-style, whose CSS MJML rewrites', () => {
    const errors = errorsOf(compileTemplate(emailDraft(mjml('        <mj-text>x</mj-text>', '<mj-style>.a { color: {{c}}; }</mj-style>'))));
    expect(errors[0]?.message).toContain('inside <mj-style>');
    expect(errors[0]).toMatchObject({ line: 2, column: 34 });
  });

  it('reports invalid MJML with the line and column of the offending tag', () => {
    const body = mjml('        <mj-text>ok</mj-text>\n        <mj-bogus>?</mj-bogus>\n          <mj-text colour="red">x</mj-text>');
    const errors = errorsOf(compileTemplate(emailDraft(body)));
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'TEMPLATE_INVALID',
        field: 'body',
        line: 7,
        column: 9,
        message: expect.stringContaining('mj-bogus'),
      }),
      expect.objectContaining({ line: 8, column: 11, message: expect.stringContaining('Attribute colour is illegal') }),
    ]);
  });

  it('maps MJML lines back to the source when expressions span several lines', () => {
    const body = mjml('        <mj-text>{{formatDate\n          when\n          style="long"}}</mj-text>\n        <mj-bogus />');
    const errors = errorsOf(compileTemplate(emailDraft(body)));
    expect(errors).toEqual([expect.objectContaining({ line: 9, column: 9, message: expect.stringContaining('mj-bogus') })]);
  });

  it('rejects a body that is not MJML', () => {
    const errors = errorsOf(compileTemplate(emailDraft('<p>Hello {{name}}</p>')));
    expect(errors).toEqual([expect.objectContaining({ code: 'TEMPLATE_INVALID', field: 'body', line: 1, column: 1 })]);
    expect(errors[0]?.message).toContain('not MJML');
  });

  it('never reads files named by mj-include', () => {
    const html = versionOf(
      compileTemplate(emailDraft(mjml('        <mj-include path="/etc/passwd" />\n        <mj-text>x</mj-text>'))),
    ).compiledHtml;
    expect(html).not.toContain('root:');
  });

  it('with soft validation (previewing a draft), returns MJML errors as warnings and still compiles', () => {
    const result = compileTemplate(emailDraft(mjml('        <mj-text colour="red">x {{name}}</mj-text>')), { mjmlValidation: 'soft' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'MJML_INVALID', field: 'body', line: 6, column: 9 })]);
    expect(result.version.compiledHtml).toContain('x {{name}}');
  });

  it('still rejects placement errors with soft validation: the HTML would be wrong', () => {
    const body = mjml('        {{#if a}}<mj-text>x</mj-text>{{/if}}');
    expect(compileTemplate(emailDraft(body), { mjmlValidation: 'soft' }).ok).toBe(false);
  });
});

describe('HTML bodies at save time', () => {
  it('stores raw HTML as the compiled HTML and lets expressions stand anywhere', () => {
    const body = '<table><tr {{#if odd}}class="odd"{{/if}}><td>{{name}}</td></tr></table>';
    const version = versionOf(compileTemplate(emailDraft(body, { bodyFormat: 'html' })));
    expect(version.compiledHtml).toBe(body);
    expect(version.bodySource).toBe(body);
  });
});
