import { describe, expect, it } from 'vitest';
import { parseHandlebars, scanTags } from './handlebars-syntax.js';

const problemOf = (source: string) => {
  const result = parseHandlebars(source);
  if (result.ok) throw new Error('expected a syntax error');
  return result.problem;
};

describe('parseHandlebars', () => {
  it('locates an unexpected token exactly, even far into a long line', () => {
    const source = `${'x'.repeat(200)} {{#each items}}{{name}}{{/each}} {{total )}}`;
    expect(problemOf(source)).toEqual({ message: 'Handlebars syntax error: unexpected ")"', line: 1, column: source.indexOf(')') + 1 });
  });

  it('counts Windows line breaks as one', () => {
    expect(problemOf('first\r\nsecond\r\n  {{#if}x')).toMatchObject({ line: 3 });
    expect(problemOf('a\r\nb {{x')).toEqual({ message: 'Handlebars syntax error: this "{{" is never closed', line: 2, column: 3 });
  });

  it('names a mismatched block', () => {
    expect(problemOf('{{#with a}}\n  {{#if b}}x{{/with}}')).toMatchObject({
      message: "Handlebars syntax error: if doesn't match with",
      line: 2,
    });
  });

  it('parses valid templates', () => {
    expect(parseHandlebars('{{#each a as |x|}}{{x}}{{else}}none{{/each}} \\{{literal}}').ok).toBe(true);
  });
});

describe('scanTags', () => {
  it('finds each tag with its offsets, ignoring }} inside string literals and escaped mustaches', () => {
    const source = 'a {{#if (eq x "}}")}}b{{else}}c{{/if}} \\{{not}} {{! note }}{{{raw}}}';
    const tags = scanTags(source).tags;
    expect(tags.map((t) => [t.kind, t.text])).toEqual([
      ['open', '{{#if (eq x "}}")}}'],
      ['inverse', '{{else}}'],
      ['close', '{{/if}}'],
      ['comment', '{{! note }}'],
      ['mustache', '{{{raw}}}'],
    ]);
    for (const tag of tags) expect(source.slice(tag.start, tag.end)).toBe(tag.text);
  });
});
