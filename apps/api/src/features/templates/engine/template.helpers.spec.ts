import { describe, expect, it } from 'vitest';
import { TemplateRenderer } from './template.renderer.js';
import { stored } from './template.fixtures.js';
import type { TemplateWarning } from './template.types.js';

const renderer = new TemplateRenderer();

/** Renders an SMS body and returns its text and warnings. */
function render(source: string, variables: Record<string, unknown> = {}, locale = 'en-US'): { text: string; warnings: TemplateWarning[] } {
  const result = renderer.render(stored({ channel: 'SMS', bodySource: source }), { variables, locale });
  if (!result.ok) throw new Error(`render failed: ${result.error.message}`);
  return { text: result.content.body ?? '', warnings: result.warnings };
}

const when = '2024-03-05T23:30:00Z';

describe('formatDate', () => {
  it('formats by locale and style, in UTC unless told otherwise', () => {
    expect(render('{{formatDate when}}', { when }).text).toBe('Mar 5, 2024');
    expect(render('{{formatDate when style="long"}}', { when }).text).toBe('March 5, 2024');
    expect(render('{{formatDate when style="full"}}', { when }, 'de-DE').text).toBe('Dienstag, 5. März 2024');
    expect(render('{{formatDate when style="short"}}', { when }, 'fr-FR').text).toBe('05/03/2024');
  });

  it('accepts a time zone and a time style', () => {
    expect(render('{{formatDate when style="long" timeZone="Asia/Tokyo"}}', { when }).text).toBe('March 6, 2024');
    expect(render('{{formatDate when style="short" timeStyle="short"}}', { when }).text).toBe('3/5/24, 11:30 PM');
  });

  it('accepts milliseconds since 1970', () => {
    expect(render('{{formatDate ts}}', { ts: Date.UTC(2023, 0, 2) }).text).toBe('Jan 2, 2023');
  });

  it('renders the raw value and warns when the value is not a date', () => {
    const { text, warnings } = render('[{{formatDate when}}]', { when: 'next tuesday' });
    expect(text).toBe('[next tuesday]');
    expect(warnings).toEqual([
      expect.objectContaining({
        code: 'HELPER_INVALID_INPUT',
        field: 'body',
        message: expect.stringContaining('"next tuesday" is not a date'),
      }),
    ]);
  });

  it('renders nothing and warns when the value is missing', () => {
    const { text, warnings } = render('[{{formatDate nothing}}]');
    expect(text).toBe('[]');
    expect(warnings[0]?.message).toBe('formatDate got no value');
  });

  it('falls back and warns on an unknown style or time zone', () => {
    const style = render('{{formatDate when style="huge"}}', { when });
    expect(style.text).toBe('Mar 5, 2024');
    expect(style.warnings[0]?.message).toContain('style="huge" is not one of short, medium, long, full');
    const zone = render('{{formatDate when timeZone="Mars/Olympus"}}', { when });
    expect(zone.text).toBe('Mar 5, 2024');
    expect(zone.warnings[0]?.message).toContain('unknown time zone "Mars/Olympus"');
  });
});

describe('formatNumber', () => {
  it('groups and rounds by locale', () => {
    expect(render('{{formatNumber n}}', { n: 1234567.891 }).text).toBe('1,234,567.891');
    expect(render('{{formatNumber n}}', { n: 1234567.891 }, 'de-DE').text).toBe('1.234.567,891');
    expect(render('{{formatNumber n maximumFractionDigits=1}}', { n: 2.25 }).text).toBe('2.3');
    expect(render('{{formatNumber n minimumFractionDigits=2}}', { n: 3 }).text).toBe('3.00');
  });

  it('accepts numeric strings', () => {
    expect(render('{{formatNumber n}}', { n: ' 42.5 ' }).text).toBe('42.5');
  });

  it('renders the raw value and warns for anything else', () => {
    const { text, warnings } = render('[{{formatNumber n}}][{{formatNumber obj}}]', { n: 'twelve', obj: { a: 1 } });
    expect(text).toBe('[twelve][]');
    expect(warnings.map((w) => w.message)).toEqual(['formatNumber: "twelve" is not a number', 'formatNumber: an object is not a number']);
  });

  it('ignores impossible fraction settings with a warning instead of failing', () => {
    const result = render('{{formatNumber n minimumFractionDigits=5 maximumFractionDigits=1}}', { n: 1.5 });
    expect(result.text).toBe('1.5');
    expect(result.warnings).toHaveLength(1);
  });
});

describe('formatCurrency', () => {
  it('formats an amount in a currency by locale', () => {
    expect(render('{{formatCurrency total "EUR"}}', { total: 12.5 }).text).toBe('€12.50');
    expect(render('{{formatCurrency total currency}}', { total: 12.5, currency: 'eur' }, 'de-DE').text).toBe('12,50\u00a0€');
    expect(render('{{formatCurrency total "JPY"}}', { total: 1200 }, 'ja-JP').text).toBe('￥1,200');
  });

  it('formats a plain number and warns when the currency code is not valid', () => {
    const { text, warnings } = render('{{formatCurrency total "euro"}}', { total: 12.5 });
    expect(text).toBe('12.5');
    expect(warnings[0]?.message).toContain('"euro" is not an ISO 4217 currency code');
    expect(render('{{formatCurrency total}}', { total: 3 }).warnings).toHaveLength(1);
  });

  it('renders the raw value and warns when the amount is not a number', () => {
    expect(render('{{formatCurrency total "USD"}}', { total: 'free' })).toMatchObject({ text: 'free', warnings: [expect.anything()] });
  });
});

describe('default', () => {
  it('uses the fallback for missing, null or empty values but keeps 0 and false', () => {
    const source = '{{default a "x"}}|{{default b "x"}}|{{default c "x"}}|{{default d "x"}}|{{default e "x"}}|{{default f "x"}}';
    expect(render(source, { b: null, c: '', d: 0, e: false, f: 'set' }).text).toBe('x|x|x|0|false|set');
  });

  it('takes its fallback from another variable', () => {
    expect(render('Hi {{default nickname name}}', { name: 'Ann' }).text).toBe('Hi Ann');
  });
});

describe('comparisons and logic', () => {
  it('drive block conditions', () => {
    const source =
      '{{#if (eq plan "pro")}}pro{{/if}}{{#if (ne plan "pro")}}other{{/if}}|{{#if (gt seats 10)}}big{{/if}}{{#if (lt seats 3)}}small{{/if}}|{{#if (and vip (not banned))}}welcome{{/if}}|{{#if (or a b)}}any{{/if}}';
    expect(render(source, { plan: 'pro', seats: 12, vip: true, banned: false, b: 'yes' }).text).toBe('pro|big|welcome|any');
    expect(render(source, { plan: 'free', seats: 2, vip: true, banned: true }).text).toBe('other|small||');
  });

  it('treat empty lists and zero as false, like #if', () => {
    expect(render('{{#if (or list zero)}}yes{{else}}no{{/if}}', { list: [], zero: 0 }).text).toBe('no');
  });

  it('compare numbers given as strings, and warn instead of comparing other things', () => {
    expect(render('{{#if (gt a "9")}}yes{{/if}}', { a: '10' }).text).toBe('yes');
    const { text, warnings } = render('{{#if (gt a 1)}}yes{{else}}no{{/if}}', { a: 'many' });
    expect(text).toBe('no');
    expect(warnings[0]?.message).toBe('gt compares two numbers, got "many" and 1');
  });

  it('eq compares strictly: the number 1 is not the string "1"', () => {
    expect(render('{{#if (eq n "1")}}same{{else}}different{{/if}}', { n: 1 }).text).toBe('different');
  });
});

describe('locale', () => {
  it('falls back to en with a warning when the locale is not BCP 47', () => {
    const result = renderer.render(stored({ channel: 'SMS', bodySource: '{{formatNumber n}}' }), {
      variables: { n: 1000.5 },
      locale: 'english please',
    });
    expect(result).toMatchObject({ ok: true, content: { body: '1,000.5' } });
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'LOCALE_INVALID' })]);
  });

  it('formats for en when no locale is given', () => {
    const result = renderer.render(stored({ channel: 'SMS', bodySource: '{{formatNumber n}}' }), { variables: { n: 1000.5 } });
    expect(result).toMatchObject({ ok: true, content: { body: '1,000.5' }, warnings: [] });
  });
});
