import { randomBytes } from 'node:crypto';
import mjml2html from 'mjml';
import { scanTags, type HandlebarsTag } from './handlebars-syntax.js';
import { checkPlacement, type Placeholder } from './mjml-placement.js';
import { LineIndex, type SourcePosition } from './source-position.js';

export interface MjmlProblem {
  message: string;
  position: SourcePosition | null;
}

const NOT_MJML = 'The body is not MJML: it must be one <mjml> element (or choose the "html" body format)';

export type MjmlCompileOutcome =
  { ok: true; html: string; mjmlErrors: MjmlProblem[] } | { ok: false; placement: MjmlProblem[]; mjmlErrors: MjmlProblem[] };

/**
 * Compiles an MJML body whose Handlebars already parses. Each Handlebars tag is swapped for an
 * opaque token before MJML runs (so MJML neither parses its quotes nor escapes its braces) and
 * swapped back afterwards; comments are dropped (they render nothing). MJML validation errors
 * are returned with the caller deciding whether they reject the save (`mjmlErrors`).
 */
export function compileMjml(source: string): MjmlCompileOutcome {
  const lines = new LineIndex(source);
  const tags = scanTags(source).tags;
  const shielded = shield(source, tags);
  if (!/<mjml[\s>]/.test(shielded.text)) {
    return { ok: false, placement: [], mjmlErrors: [{ message: NOT_MJML, position: { line: 1, column: 1 } }] };
  }
  const violations = checkPlacement(shielded.text, shielded.placeholders, lines);
  if (violations.length > 0) {
    const placement = violations.map((v) => ({ message: v.message, position: lines.positionOf(v.tag.start) }));
    return { ok: false, placement, mjmlErrors: [] };
  }

  let result: ReturnType<typeof mjml2html>;
  try {
    result = mjml2html(shielded.text, { validationLevel: 'soft', ignoreIncludes: true, minify: false, beautify: false });
  } catch (error) {
    const message = (error as Error).message.includes('Parsing failed')
      ? NOT_MJML
      : `MJML could not compile this body: ${shielded.unshield((error as Error).message)}`;
    return { ok: false, placement: [], mjmlErrors: [{ message, position: { line: 1, column: 1 } }] };
  }
  const mjmlErrors = result.errors
    // A colour attribute holding a token fails MJML's colour check; it is a colour at send time.
    .filter((e) => !shielded.mentionsToken(e.message))
    .map((e) => ({ message: `MJML: ${e.message.trim()}`, position: shielded.originalPosition(e.line, e.tagName, lines) }));

  const restored = shielded.restore(result.html);
  const lost = shielded.placeholders.filter((p) => !restored.seen.has(p.token));
  if (lost.length > 0) {
    const placement = lost.map((p) => ({
      message: `MJML dropped ${p.tag.text} from the compiled HTML; move it into the text of an element such as mj-text`,
      position: lines.positionOf(p.tag.start),
    }));
    return { ok: false, placement, mjmlErrors };
  }
  return { ok: true, html: restored.html, mjmlErrors };
}

interface Shielded {
  text: string;
  placeholders: Placeholder[];
  mentionsToken(text: string): boolean;
  unshield(text: string): string;
  restore(html: string): { html: string; seen: Set<string> };
  originalPosition(line: number | undefined, tagName: string | undefined, lines: LineIndex): SourcePosition | null;
}

function shield(source: string, tags: HandlebarsTag[]): Shielded {
  let nonce = randomBytes(6).toString('hex');
  while (source.includes(nonce)) nonce = randomBytes(6).toString('hex');
  const prefix = `hb${nonce}p`;
  const pattern = new RegExp(`${prefix}(\\d+)e`, 'g');

  const placeholders: Placeholder[] = [];
  const segments: { shieldedStart: number; shieldedEnd: number; originalStart: number; originalEnd: number }[] = [];
  let text = '';
  let cursor = 0;
  for (const tag of tags) {
    text += source.slice(cursor, tag.start);
    const token = tag.kind === 'comment' ? '' : `${prefix}${placeholders.length}e`;
    if (token) placeholders.push({ token, tag });
    segments.push({ shieldedStart: text.length, shieldedEnd: text.length + token.length, originalStart: tag.start, originalEnd: tag.end });
    text += token;
    cursor = tag.end;
  }
  text += source.slice(cursor);

  const toOriginal = (offset: number): number => {
    let result = offset;
    for (const s of segments) {
      if (s.shieldedStart > offset) break;
      result = offset < s.shieldedEnd ? s.originalStart : s.originalEnd + (offset - s.shieldedEnd);
    }
    return result;
  };
  const shieldedLines = new LineIndex(text);

  return {
    text,
    placeholders,
    mentionsToken: (value) => value.includes(prefix),
    unshield: (value) => value.replace(pattern, (_m, index: string) => placeholders[Number(index)]?.tag.text ?? ''),
    restore(html) {
      const seen = new Set<string>();
      const restored = html.replace(pattern, (match, index: string) => {
        seen.add(match);
        return placeholders[Number(index)]?.tag.text ?? match;
      });
      return { html: restored, seen };
    },
    originalPosition(line, tagName, lines) {
      if (line === undefined || !Number.isInteger(line)) return null;
      const originalLine = lines.positionOf(toOriginal(shieldedLines.lineStart(line))).line;
      const column = tagName ? lines.lineText(originalLine).indexOf(`<${tagName}`) : -1;
      return { line: originalLine, column: column >= 0 ? column + 1 : 1 };
    },
  };
}
