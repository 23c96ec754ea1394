import { convert, type HtmlToTextOptions } from 'html-to-text';
import { Parser } from 'htmlparser2';

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

const TEXT_PART_OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  formatters: {
    // Table cells side by side, separated by a space (MJML lays everything out in tables).
    cell(elem, walk, builder) {
      walk(elem.children, builder);
      builder.addInline(' ');
    },
  },
  selectors: [
    { selector: '[style*="display:none"]', format: 'skip' }, // MJML's hidden preheader
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    ...HEADINGS.map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    { selector: 'td', format: 'cell' },
    { selector: 'th', format: 'cell' },
  ],
};

/**
 * The text part of an email derived from its rendered HTML: head, styles, scripts, images
 * and hidden text dropped, block elements on their own lines, links as `text [url]`,
 * entities decoded, no hard wrapping.
 */
export function htmlToText(html: string): string {
  return convert(html, TEXT_PART_OPTIONS).trim();
}

const BLOCK_ELEMENTS = new Set([
  'p',
  'div',
  'li',
  'tr',
  'table',
  'ul',
  'ol',
  'blockquote',
  'section',
  'article',
  'header',
  'footer',
  'pre',
  ...HEADINGS,
]);
const DROPPED_CONTENT = new Set(['script', 'style', 'head', 'title']);

/**
 * Plain text from a string that may hold HTML (push title and body): tags removed, the
 * content of script/style dropped, entities decoded, `<br>` and block ends as line breaks.
 * Text without `<` or `&` comes back unchanged.
 */
export function stripTags(text: string): string {
  if (!text.includes('<') && !text.includes('&')) return text;
  let out = '';
  let dropped = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (DROPPED_CONTENT.has(name)) dropped++;
        if (name === 'br') out += '\n';
      },
      onclosetag(name) {
        if (DROPPED_CONTENT.has(name)) dropped = Math.max(0, dropped - 1);
        else if (BLOCK_ELEMENTS.has(name) && out !== '' && !out.endsWith('\n')) out += '\n';
      },
      ontext(chunk) {
        if (dropped === 0) out += chunk;
      },
    },
    { decodeEntities: true },
  );
  parser.end(text);
  return out
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
