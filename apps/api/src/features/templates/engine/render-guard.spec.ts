import { describe, expect, it } from 'vitest';
import { TemplateRenderer } from './template.renderer.js';
import { stored } from './template.fixtures.js';

const sms = (bodySource: string) => stored({ channel: 'SMS', bodySource });
const html = (compiledHtml: string) => stored({ channel: 'EMAIL', subject: 's', compiledHtml, textBody: 't' });

describe('render checkpoints keep Handlebars semantics', () => {
  const render = (source: string, variables: Record<string, unknown>) => {
    const result = new TemplateRenderer().render(sms(source), { variables });
    if (!result.ok) throw new Error(result.error.message);
    return result.content.body;
  };

  it('keeps whitespace control and standalone block lines', () => {
    expect(render('a  {{~x~}}  b', { x: 'X' })).toBe('aXb');
    expect(render('{{#if a}}\nyes\n{{/if}}\nend', { a: true })).toBe('yes\nend');
  });

  it('prints numbers, lists, this, @data and literal-named paths as Handlebars does', () => {
    expect(
      render('{{n}}|{{list}}|{{#each list}}{{@index}}={{this}};{{/each}}|{{"first name"}}|{{[odd key]}}', {
        n: 3,
        list: ['a', 'b'],
        'first name': 'Ann',
        'odd key': 'k',
      }),
    ).toBe('3|a,b|0=a;1=b;|Ann|k');
  });

  it('prints helper results, with hash arguments and sub-expressions', () => {
    expect(
      render('{{formatNumber n maximumFractionDigits=0}} {{default (lookup map key) "none"}} {{default}}', {
        n: 2.6,
        map: { a: 1 },
        key: 'b',
      }),
    ).toBe('3 none ');
  });

  it('escapes in HTML exactly as before, and leaves {{{raw}}} alone', () => {
    const result = new TemplateRenderer().render(html('<p>{{x}}</p>{{{x}}}'), { variables: { x: '<i>&</i>' } });
    expect(result.ok && result.content.html).toBe('<p>&lt;i&gt;&amp;&lt;/i&gt;</p><i>&</i>');
  });
});

describe('render checkpoints bound the work', () => {
  it('stops a template that prints a large variable thousands of times at the output limit, quickly', () => {
    const version = { ...html('{{v}}'.repeat(5000)), id: 'amplifier' };
    const renderer = new TemplateRenderer();
    const result = renderer.render(version, { variables: { v: '&'.repeat(64 * 1024) } });
    expect(result).toMatchObject({ ok: false, error: { code: 'TEMPLATE_OUTPUT_TOO_LARGE', field: 'body' } });
    // It stops after about five copies (tens of ms); escaping all 5000 copies takes seconds.
    expect(result.durationMs).toBeLessThan(500);
  });

  it('checks the CPU clock at every printed value and helper call', () => {
    let now = 0;
    const renderer = new TemplateRenderer({ cpuClock: () => (now += 1) }); // each reading 1 ms of CPU later
    expect(renderer.render(sms('{{x}}'.repeat(10)), { variables: { x: 1 } }).ok).toBe(true);
    expect(renderer.render(sms('{{x}}'.repeat(100)), { variables: { x: 1 } })).toMatchObject({
      ok: false,
      error: { code: 'TEMPLATE_RENDER_TIMEOUT' },
    });
    expect(renderer.render(sms('{{#if x}}{{/if}}'.repeat(100)), { variables: { x: 1 } })).toMatchObject({
      ok: false,
      error: { code: 'TEMPLATE_RENDER_TIMEOUT' },
    });
  });
});
