import 'mjml'; // fills the mjml-core component registry read below
import { components } from 'mjml-core';
import { Parser } from 'htmlparser2';
import type { HandlebarsTag } from './handlebars-syntax.js';
import type { LineIndex } from './source-position.js';

/**
 * The block-placement rule (SPEC §4): in MJML, Handlebars may stand only where MJML keeps text
 * as written, so that it survives compilation unchanged and runs per send:
 *   - inside the content of the text-keeping elements below, HTML within it included;
 *   - inside attribute values that MJML passes through (declared as text or colour).
 * Anywhere else MJML would drop, move or compute with it. A block's opening, {{else}} and
 * closing tags must also share one element's content or one attribute value, so that every
 * branch leaves well-formed markup; the one exception is sibling <mj-raw> elements (children of
 * the same element), MJML's own way to wrap whole sections or columns in a loop or condition.
 */
export const TEXT_ELEMENTS = [
  'mj-text',
  'mj-button',
  'mj-table',
  'mj-raw',
  'mj-title',
  'mj-preview',
  'mj-navbar-link',
  'mj-social-element',
  'mj-accordion-title',
  'mj-accordion-text',
] as const;
const TEXT_HOSTS = new Set<string>(TEXT_ELEMENTS);
const PASS_THROUGH_TYPES = new Set(['string', 'color']);

/** A Handlebars tag standing in for itself in the MJML as an opaque token. */
export interface Placeholder {
  token: string;
  tag: HandlebarsTag;
}

type Context = { key: string; where: string } | { key: null; problem: string };

export interface PlacementViolation {
  tag: HandlebarsTag;
  message: string;
}

/**
 * Checks every placeholder of `protectedMjml` (the MJML with each tag replaced by its token)
 * against the rule. `lines` indexes the original source (for messages). Returns the
 * violations in source order.
 */
export function checkPlacement(protectedMjml: string, placeholders: Placeholder[], lines: LineIndex): PlacementViolation[] {
  const contexts = classify(protectedMjml, placeholders);
  const violations: PlacementViolation[] = [];
  const blocks: { placeholder: Placeholder; context: Context }[] = [];
  for (const placeholder of placeholders) {
    const context = contexts.get(placeholder.token) ?? {
      key: null,
      problem: 'stands inside tag markup, where MJML keeps no text',
    };
    const shown = describeTag(placeholder.tag);
    if (context.key === null) {
      violations.push({ tag: placeholder.tag, message: `${shown} ${context.problem}. ${RULE}` });
      continue;
    }
    const { kind } = placeholder.tag;
    if (kind === 'open') blocks.push({ placeholder, context });
    if (kind !== 'inverse' && kind !== 'close') continue;
    const opener = blocks.at(-1);
    if (kind === 'close') blocks.pop();
    if (opener && opener.context.key !== null && opener.context.key !== context.key) {
      const { line, column } = lines.positionOf(opener.placeholder.tag.start);
      violations.push({
        tag: placeholder.tag,
        message:
          `${shown} is in ${context.where} but its block ${describeTag(opener.placeholder.tag)} opens in another place ` +
          `(${opener.context.where}, line ${line}, column ${column}); a block must open and close inside the same element or attribute value`,
      });
    }
  }
  return violations;
}

const RULE =
  `In MJML, Handlebars may stand only inside ${TEXT_ELEMENTS.join(', ')} or in an attribute value ` +
  'that MJML passes through (text such as href, src, alt, title, or a colour)';

function describeTag(tag: HandlebarsTag): string {
  const text = tag.text.replace(/\s+/g, ' ');
  return text.length > 48 ? `${text.slice(0, 45)}…}}` : text;
}

interface OpenElement {
  name: string;
  id: number;
}

function classify(source: string, placeholders: Placeholder[]): Map<string, Context> {
  const tokenPattern = placeholders.length > 0 ? new RegExp(placeholders.map((p) => p.token).join('|'), 'g') : null;
  const offsets = new Map(placeholders.map((p) => [p.token, source.indexOf(p.token)]));
  const contexts = new Map<string, Context>();
  const assign = (text: string, context: Context) => {
    for (const match of tokenPattern ? text.matchAll(tokenPattern) : []) {
      if (!contexts.has(match[0])) contexts.set(match[0], context);
    }
  };
  const assignRange = (start: number, end: number, context: Context) => {
    for (const [token, offset] of offsets) if (offset >= start && offset < end && !contexts.has(token)) contexts.set(token, context);
  };

  const stack: OpenElement[] = [];
  let nextId = 0;
  let ending: { element: OpenElement; parent: OpenElement | undefined; contentStart: number; depth: number } | null = null;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const element = { name, id: nextId++ };
        const [start, end] = [parser.startIndex, parser.endIndex + 1];
        if (ending) {
          if (name === ending.element.name) ending.depth++;
          stack.push(element);
          return; // content of a text element: classified as a whole when it closes
        }
        for (const [attribute, value] of Object.entries(attributes)) assign(value, attributeContext(element, attribute));
        assignRange(start, end, { key: null, problem: `stands inside the <${name}> tag itself, outside any attribute value` });
        const parent = stack.at(-1);
        stack.push(element);
        if (components[name]?.endingTag) ending = { element, parent, contentStart: end, depth: 1 };
      },
      onclosetag(name) {
        if (ending && name === ending.element.name && --ending.depth === 0) {
          const { element, parent, contentStart } = ending;
          const host = !TEXT_HOSTS.has(name)
            ? { key: null, problem: `stands inside <${name}>, whose content MJML does not keep as text` }
            : name === 'mj-raw' && parent
              ? { key: `raw-in:${parent.id}`, where: `an <mj-raw> inside <${parent.name}>` }
              : { key: `text:${element.id}`, where: `<${name}>` };
          assignRange(contentStart, parser.startIndex, host);
          ending = null;
        }
        const index = stack.map((e) => e.name).lastIndexOf(name);
        if (index >= 0) stack.length = index;
      },
      ontext(text) {
        if (!ending) assign(text, outsideText(stack));
      },
      oncomment(text) {
        if (!ending) assign(text, outsideText(stack));
      },
    },
    { recognizeCDATA: true, decodeEntities: false, recognizeSelfClosing: true, lowerCaseAttributeNames: false },
  );
  parser.end(source);
  return contexts;
}

function outsideText(stack: OpenElement[]): Context {
  const parent = stack.at(-1);
  return parent
    ? { key: null, problem: `stands directly inside <${parent.name}>` }
    : { key: null, problem: 'stands outside the <mjml> element' };
}

function attributeContext(element: OpenElement, attribute: string): Context {
  const where = `the ${attribute} attribute of <${element.name}>`;
  const type = attribute === 'css-class' ? 'string' : components[element.name]?.allowedAttributes?.[attribute];
  if (type && PASS_THROUGH_TYPES.has(type)) return { key: `attr:${element.id}:${attribute}`, where };
  if (!element.name.startsWith('mj-'))
    return { key: null, problem: `is in ${where}, which is not an MJML element (HTML belongs inside mj-text or mj-raw)` };
  if (!type) return { key: null, problem: `is in ${where}, which MJML does not copy into the HTML as written` };
  return { key: null, problem: `is in ${where}, which MJML computes with when the template is saved (type ${type})` };
}
