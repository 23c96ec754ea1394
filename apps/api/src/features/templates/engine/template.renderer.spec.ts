import { describe, expect, it } from 'vitest';
import { TemplateRenderer, type RenderResult } from './template.renderer.js';
import { compiled, emailDraft, mjml, stored } from './template.fixtures.js';
import type { RenderedContent } from './template.types.js';

const contentOf = (result: RenderResult): RenderedContent => {
  if (!result.ok) throw new Error(`render failed: ${result.error.code} ${result.error.message}`);
  return result.content;
};

const attack = '<script>alert("x")</script> & Co';

describe('escaping', () => {
  const email = compiled(
    emailDraft(mjml('        <mj-text>Hi {{name}}</mj-text>\n        <mj-button href="https://x.test/?q={{name}}">Go</mj-button>'), {
      subject: 'About {{name}}',
      textBody: 'Hi {{name}}',
    }),
  );

  it('HTML-escapes variables in the HTML body, in text and in attributes', () => {
    const content = contentOf(new TemplateRenderer().render(email, { variables: { name: attack } }));
    expect(content.html).toContain('Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(content.html).toContain('href="https://x.test/?q=&lt;script&gt;');
    expect(content.html).not.toContain('<script>');
  });

  it('does not HTML-escape the subject, the text part, SMS or push', () => {
    const renderer = new TemplateRenderer();
    const content = contentOf(renderer.render(email, { variables: { name: attack } }));
    expect(content.subject).toBe(`About ${attack}`);
    expect(content.text).toBe(`Hi ${attack}`);
    const sms = contentOf(renderer.render(stored({ channel: 'SMS', bodySource: 'Hi {{name}}' }), { variables: { name: attack } }));
    expect(sms.body).toBe(`Hi ${attack}`);
  });

  it('inserts triple-stash {{{html}}} unescaped in the HTML body (the author opted in)', () => {
    const version = compiled(emailDraft(mjml('        <mj-text>{{{signature}}}</mj-text>')));
    expect(contentOf(new TemplateRenderer().render(version, { variables: { signature: '<b>Ann</b>' } })).html).toContain('<b>Ann</b>');
  });

  it('strips HTML tags from push title and body, decoding entities', () => {
    const version = stored({
      channel: 'PUSH',
      title: '<b>{{title}}</b>',
      pushBody: '<p>{{message}}</p><p>Tom &amp; Jerry</p>',
      category: 'success',
    });
    const content = contentOf(new TemplateRenderer().render(version, { variables: { title: 'New <i>order</i>', message: attack } }));
    expect(content.title).toBe('New order');
    expect(content.body).toBe('& Co\nTom & Jerry'); // the script's content is dropped, not shown
    expect(content.category).toBe('success');
  });

  it('keeps a subject on one line', () => {
    const version = stored({ channel: 'EMAIL', subject: 'Order {{id}}', compiledHtml: '<p>x</p>' });
    expect(contentOf(new TemplateRenderer().render(version, { variables: { id: '7\r\nBcc: evil@x.test' } })).subject).toBe(
      'Order 7 Bcc: evil@x.test',
    );
  });
});

describe('variables', () => {
  it('exposes payload fields and lets variables win on a clash', () => {
    const version = stored({ channel: 'SMS', bodySource: '{{userId}} {{recipientPhone}} {{plan}}' });
    const result = new TemplateRenderer().render(version, {
      payload: { userId: 'u-1', recipientPhone: '+15550100', plan: 'from payload' },
      variables: { plan: 'from variables' },
    });
    expect(contentOf(result).body).toBe('u-1 +15550100 from variables');
  });

  it('reads dotted paths, list indexes, loops and conditions', () => {
    const version = stored({
      channel: 'SMS',
      bodySource:
        '{{order.items.0.name}}|{{#each order.items}}{{@index}}:{{name}}x{{qty}}{{#unless @last}},{{/unless}}{{/each}}|{{#if order.gift}}gift{{else}}no gift{{/if}}',
    });
    const order = {
      items: [
        { name: 'Tea', qty: 2 },
        { name: 'Cup', qty: 1 },
      ],
      gift: false,
    };
    expect(contentOf(new TemplateRenderer().render(version, { variables: { order } })).body).toBe('Tea|0:Teax2,1:Cupx1|no gift');
  });

  it('renders a missing variable as nothing', () => {
    const version = stored({ channel: 'SMS', bodySource: 'Hi {{name}}{{order.total}}!' });
    expect(contentOf(new TemplateRenderer().render(version, {})).body).toBe('Hi !');
  });

  it('denies prototype access', () => {
    const version = stored({ channel: 'SMS', bodySource: '[{{constructor.name}}][{{__proto__}}][{{name.constructor}}][{{toString}}]' });
    expect(contentOf(new TemplateRenderer().render(version, { variables: { name: 'x' } })).body).toBe('[][][][]');
  });
});

describe('email text part', () => {
  it('is derived from the rendered HTML when the version has none', () => {
    const body = mjml(
      [
        '        <mj-text><h1>Hello {{name}}</h1><p>Your order &amp; receipt.<br/>Second line</p><ul><li>Tea</li><li>Cup</li></ul></mj-text>',
        '        <mj-button href="https://shop.test/orders/{{id}}">Track order</mj-button>',
        '        <mj-image src="https://shop.test/logo.png" alt="Shop" />',
      ].join('\n'),
      '<mj-preview>Hidden preheader</mj-preview><mj-style>.x { color: red; }</mj-style>',
    );
    const content = contentOf(new TemplateRenderer().render(compiled(emailDraft(body)), { variables: { name: 'Ann', id: '42' } }));
    expect(content.text).toBe(
      'Hello Ann\n\nYour order & receipt.\nSecond line\n\n * Tea\n * Cup\n\nTrack order [https://shop.test/orders/42]',
    );
  });
});

describe('push', () => {
  it('renders string values inside data, unescaped, and keeps other values', () => {
    const version = stored({
      channel: 'PUSH',
      title: 'T',
      pushBody: 'B',
      category: 'info',
      data: { url: '/orders/{{id}}?a=1&b=2', count: 3, nested: { label: '{{label}}', tags: ['{{id}}', true] } },
    });
    const content = contentOf(new TemplateRenderer().render(version, { variables: { id: 'o<1>', label: 'A & B' } }));
    expect(content.data).toEqual({ url: '/orders/o<1>?a=1&b=2', count: 3, nested: { label: 'A & B', tags: ['o<1>', true] } });
  });
});

describe('compiled template cache', () => {
  const version = (id: string) => ({ ...stored({ channel: 'SMS', bodySource: `v${id} {{n}}` }), id });

  it('compiles a version once and reuses it across sends', () => {
    const renderer = new TemplateRenderer();
    expect(contentOf(renderer.render(version('a'), { variables: { n: 1 } })).body).toBe('va 1');
    expect(contentOf(renderer.render(version('a'), { variables: { n: 2 } })).body).toBe('va 2');
    expect(renderer.cachedTemplates).toBe(1);
  });

  it('keeps at most cacheSize compiled fields, dropping the least recently used', () => {
    const renderer = new TemplateRenderer({ cacheSize: 2 });
    for (const id of ['a', 'b', 'c', 'a']) renderer.render(version(id), {});
    expect(renderer.cachedTemplates).toBe(2);
    expect(contentOf(renderer.render(version('b'), { variables: { n: 9 } })).body).toBe('vb 9');
  });

  it('does not cache versions without an id (drafts)', () => {
    const renderer = new TemplateRenderer();
    renderer.render(stored({ channel: 'SMS', bodySource: 'x' }), {});
    expect(renderer.cachedTemplates).toBe(0);
  });
});

describe('limits and failures come back as coded results', () => {
  it('stops a runaway loop with TEMPLATE_RENDER_TIMEOUT shortly after 50 ms', () => {
    // 1000³ iterations would run for minutes; the loop guard checks the clock every iteration.
    const version = stored({ channel: 'SMS', bodySource: '{{#each a}}{{#each ../a}}{{#each ../../a}}{{/each}}{{/each}}{{/each}}' });
    const started = performance.now();
    const result = new TemplateRenderer().render(version, { variables: { a: Array.from({ length: 1000 }, (_, i) => i) } });
    expect(result).toMatchObject({ ok: false, error: { code: 'TEMPLATE_RENDER_TIMEOUT', field: 'body' } });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('fails for good a render whose template used more than the budget of CPU time', () => {
    let cpu = 0;
    const cpuClock = () => (cpu += 60); // every reading is 60 ms of CPU later
    const version = stored({ channel: 'EMAIL', subject: 'a', compiledHtml: '<p>b</p>', textBody: 'c' });
    const result = new TemplateRenderer({ cpuClock }).render(version, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'TEMPLATE_RENDER_TIMEOUT' }, retryable: false });
  });

  it('a render a busy machine slowed down (wall clock far past the budget, CPU time within it) is retryable, not a template failure', () => {
    let now = 0;
    const clock = () => (now += 2_000); // the machine is so busy that every reading is 2 s later
    const cpuClock = () => 1; // while this process got almost no CPU
    const version = stored({ channel: 'EMAIL', subject: 'a', compiledHtml: '<p>b</p>', textBody: 'c' });
    const result = new TemplateRenderer({ clock, cpuClock }).render(version, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'TEMPLATE_RENDER_TIMEOUT' }, retryable: true });
  });

  it('a render slower than 50 ms by the wall clock only, below the ceiling, succeeds', () => {
    let now = 0;
    const clock = () => (now += 60);
    const version = stored({ channel: 'EMAIL', subject: 'a', compiledHtml: '<p>b</p>', textBody: 'c' });
    expect(new TemplateRenderer({ clock, cpuClock: () => 1 }).render(version, {}).ok).toBe(true);
  });

  it('fails output over 256 KiB with TEMPLATE_OUTPUT_TOO_LARGE', () => {
    const version = stored({ channel: 'SMS', bodySource: '{{big}}{{big}}' });
    const result = new TemplateRenderer().render(version, { variables: { big: 'x'.repeat(130 * 1024) } });
    expect(result).toMatchObject({ ok: false, error: { code: 'TEMPLATE_OUTPUT_TOO_LARGE' } });
    const fits = new TemplateRenderer().render(version, { variables: { big: 'x'.repeat(120 * 1024) } });
    expect(fits.ok).toBe(true);
  });

  it('counts the output in UTF-8 bytes, as the dispatch message does', () => {
    const version = stored({ channel: 'SMS', bodySource: '{{big}}' });
    const result = new TemplateRenderer().render(version, { variables: { big: '€'.repeat(100_000) } }); // 300 000 bytes
    expect(result).toMatchObject({ ok: false, error: { code: 'TEMPLATE_OUTPUT_TOO_LARGE' } });
  });

  it('aborts a loop as soon as its output alone is too large', () => {
    const version = stored({ channel: 'SMS', bodySource: '{{#each rows}}{{../line}}{{/each}}' });
    const result = new TemplateRenderer().render(version, { variables: { rows: Array.from({ length: 100_000 }), line: 'y'.repeat(1000) } });
    expect(result).toMatchObject({ ok: false, error: { code: 'TEMPLATE_OUTPUT_TOO_LARGE', field: 'body' } });
  });

  it('reports a version missing a field its channel needs instead of throwing', () => {
    const result = new TemplateRenderer().render(stored({ channel: 'EMAIL', subject: 'x' }), {});
    expect(result).toMatchObject({ ok: false, error: { code: 'TEMPLATE_INVALID', field: 'body' } });
  });

  it('reports Handlebars failures of a stored version that bypassed validation', () => {
    const renderer = new TemplateRenderer();
    expect(renderer.render(stored({ channel: 'SMS', bodySource: '{{#each}}x{{/each}}' }), {})).toMatchObject({
      ok: false,
      error: { code: 'TEMPLATE_INVALID', field: 'body', message: expect.stringContaining('Must pass iterator to #each') },
    });
    expect(renderer.render(stored({ channel: 'SMS', bodySource: '{{shout name}}' }), {})).toMatchObject({
      ok: false,
      error: { code: 'TEMPLATE_INVALID', message: expect.stringContaining('unknown helper shout') },
    });
    expect(renderer.render(stored({ channel: 'SMS', bodySource: '{{> footer}}' }), {})).toMatchObject({
      ok: false,
      error: { code: 'TEMPLATE_INVALID' },
    });
  });

  it('reports how long the render took', () => {
    const result = new TemplateRenderer().render(stored({ channel: 'SMS', bodySource: 'x' }), {});
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.durationMs).toBeLessThan(50);
  });
});

describe('URLs from variables in href/src attributes (issue 13 item 7a)', () => {
  const page = stored({
    channel: 'EMAIL',
    subject: 's',
    compiledHtml: `<a href="{{link}}">go</a><img src='{{img}}'><a href={{bare}}>b</a><a href="https://shop.example/{{path}}">p</a>`,
    textBody: 't',
  });
  const html = (variables: Record<string, unknown>) => {
    const result = new TemplateRenderer().render(page, { variables: { link: '', img: '', bare: '', path: '', ...variables } });
    if (!result.ok) throw new Error(result.error.message);
    return result.content.html ?? '';
  };

  it.each([
    'javascript:alert(1)',
    ' JaVa\nScRiPt:alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html;base64,PHNjcmlwdD4=',
    '\u0001javascript:alert(1)',
  ])('neutralises %j', (url) => {
    const out = html({ link: url, img: url, bare: url });
    expect(out.toLowerCase()).not.toMatch(/(javascript|vbscript|data):/);
    expect(out).toContain('href="#"');
    expect(out).toContain("src='#'");
  });

  it.each([
    'https://shop.example/o/1',
    'http://example.com',
    'mailto:ada@example.com',
    'tel:+254700000001',
    '/relative/path',
    '#top',
    'page.html?x=1',
  ])('keeps %j', (url) => {
    expect(html({ link: url })).toContain(`href="${url.replace(/&/g, '&amp;').replace(/=/g, '&#x3D;')}"`);
  });

  it('leaves a variable after a fixed scheme alone, and text outside attributes untouched', () => {
    expect(html({ path: 'javascript:x' })).toContain('href="https://shop.example/javascript:x"');
    const sms = new TemplateRenderer().render(stored({ channel: 'SMS', bodySource: 'href="{{link}}"' }), {
      variables: { link: 'javascript:x' },
    });
    expect(sms.ok && sms.content.body).toBe('href="javascript:x"');
  });
});

describe('URLs assembled from several values: the attribute is checked as rendered (issue 13, split schemes)', () => {
  const render = (compiledHtml: string, variables: Record<string, unknown>) => {
    const result = new TemplateRenderer().render(stored({ channel: 'EMAIL', subject: 's', compiledHtml, textBody: 't' }), { variables });
    if (!result.ok) throw new Error(result.error.message);
    return result.content.html ?? '';
  };

  it.each([
    ['<a href="{{a}}{{b}}">x</a>', { a: 'javascript', b: ':alert(1)' }, '<a href="#">x</a>'],
    ['<a href="{{a}}{{b}}">x</a>', { a: 'java', b: 'script:alert(1)' }, '<a href="#">x</a>'],
    ['<a href="{{a}}{{b}}">x</a>', { a: ' Java\n', b: 'Script:alert(1)' }, '<a href="#">x</a>'],
    ['<a href="{{a}}{{b}}{{c}}">x</a>', { a: 'ja', b: 'vascri', c: 'pt:alert(1)' }, '<a href="#">x</a>'],
    ['<a href="java{{b}}">x</a>', { b: 'script:alert(1)' }, '<a href="#">x</a>'],
    ['<a href="{{a}}:alert(1)">x</a>', { a: 'javascript' }, '<a href="#">x</a>'],
    ['<a href="{{#if on}}{{a}}{{/if}}{{b}}">x</a>', { on: true, a: 'javascript', b: ':alert(1)' }, '<a href="#">x</a>'],
    ['<a href="{{#each parts}}{{this}}{{/each}}">x</a>', { parts: ['java', 'script', ':alert(1)'] }, '<a href="#">x</a>'],
    ['<a href="{{a}}{{b}}">x</a>', { a: 'data', b: ':text/html;base64,PHNjcmlwdD4=' }, '<a href="#">x</a>'],
    ["<img alt='' src='{{a}}{{b}}'>", { a: 'vbscript', b: ':msgbox(1)' }, "<img alt='' src='#'>"],
    ['<a class="c" href={{a}}{{b}}>x</a>', { a: 'javascript', b: ':alert(1)' }, '<a class="c" href=#>x</a>'],
    ['<form action="{{a}}{{b}}"></form>', { a: 'javascript', b: ':alert(1)' }, '<form action="#"></form>'],
    // A value cannot forge the marks that tell printed values from the template's text.
    ['<a href="{{a}}{{b}}">x</a>', { a: 'java\uFDD1', b: '\uFDD0script:alert(1)' }, '<a href="#">x</a>'],
    // A raw {{{value}}} bringing a whole link is checked too.
    ['<p>{{{raw}}}</p>', { raw: '<a href="javascript:alert(1)">x</a>' }, '<p><a href="#">x</a></p>'],
  ])('refuses %s with %j', (source, variables, expected) => {
    expect(render(source, variables)).toBe(expected);
  });

  it.each([
    [
      '<a href="{{base}}/orders/{{id}}">x</a>',
      { base: 'https://shop.example', id: '42' },
      '<a href="https://shop.example/orders/42">x</a>',
    ],
    ['<a href="{{scheme}}://{{host}}/o">x</a>', { scheme: 'https', host: 'shop.example' }, '<a href="https://shop.example/o">x</a>'],
    ['<a href="{{a}}{{b}}">x</a>', { a: 'mai', b: 'lto:ada@example.com' }, '<a href="mailto:ada@example.com">x</a>'],
    ['<a href="{{a}}{{b}}">x</a>', { a: 'page', b: '.html#top' }, '<a href="page.html#top">x</a>'],
    [
      '<a href="mailto:{{email}}?subject={{subject}}">x</a>',
      { email: 'ada@example.com', subject: 'Hi' },
      '<a href="mailto:ada@example.com?subject=Hi">x</a>',
    ],
    // The template fixed the scheme, or that there is none: what follows cannot change it.
    ['<img src="cid:{{id}}">', { id: 'logo' }, '<img src="cid:logo">'],
    ['<a href="/{{a}}{{b}}">x</a>', { a: 'javascript', b: ':alert(1)' }, '<a href="/javascript:alert(1)">x</a>'],
    ['<a href="https://shop.example/{{a}}{{b}}">x</a>', { a: 'javascript', b: ':x' }, '<a href="https://shop.example/javascript:x">x</a>'],
    // The template's own text is the author's, and text outside attributes is only escaped.
    ['<a href="javascript:void(0)" title="{{t}}">x</a>', { t: 'T' }, '<a href="javascript:void(0)" title="T">x</a>'],
    ['<p>{{a}}{{b}}</p>', { a: 'javascript', b: ':alert(1)' }, '<p>javascript:alert(1)</p>'],
  ])('keeps %s with %j', (source, variables, expected) => {
    expect(render(source, variables)).toBe(expected);
  });

  it('leaves no mark in the output, also from a value that carries one', () => {
    const out = render('<p title="{{a}}">{{a}}{{{a}}}</p>\uFDD0', { a: 'x\uFDD0y\uFDD1z' });
    expect(out).toBe('<p title="xyz">xyzxyz</p>');
  });
});
