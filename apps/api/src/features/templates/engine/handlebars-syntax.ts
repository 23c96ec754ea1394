import Handlebars from 'handlebars';
import { LineIndex, type SourcePosition } from './source-position.js';

/*
 * Handlebars' parser is a jison parser exposed as `Handlebars.Parser`. Its public error is a
 * bare message whose caret points into a 40-character excerpt, so to report a reliable line and
 * column we look at the lexer's own location, on a private copy of the parser (Object.create),
 * never by changing the shared one. The same lexer splits a source into its `{{...}}` tags.
 */
interface JisonLocation {
  first_line: number;
  first_column: number;
  last_line: number;
  last_column: number;
  range?: [number, number];
}
interface JisonLexer {
  EOF: number;
  options: Record<string, unknown>;
  yy: unknown;
  yylloc: JisonLocation;
  setInput(input: string): unknown;
  lex(): number | string;
}
interface JisonParser {
  yy: Record<string, unknown>;
  lexer: JisonLexer;
  terminals_: Record<number, string>;
  parse(input: string): unknown;
}
const jison = (Handlebars as unknown as { Parser: JisonParser }).Parser;

export interface SyntaxProblem extends SourcePosition {
  message: string;
}

export type ParseOutcome = { ok: true; ast: hbs.AST.Program } | { ok: false; problem: SyntaxProblem };

/** Parses one Handlebars source; a failure carries a 1-based line and column. */
export function parseHandlebars(source: string): ParseOutcome {
  try {
    return { ok: true, ast: Handlebars.parse(source) };
  } catch (error) {
    return { ok: false, problem: describeFailure(source, error) };
  }
}

function describeFailure(source: string, error: unknown): SyntaxProblem {
  const located = error as { lineNumber?: unknown; column?: unknown; message?: unknown };
  if (typeof located.lineNumber === 'number' && typeof located.column === 'number') {
    // Handlebars.Exception from the AST builder ("if doesn't match each - 2:5").
    const message = String(located.message).replace(/ - \d+:\d+$/, '');
    return { message: `Handlebars syntax error: ${message}`, line: located.lineNumber, column: located.column + 1 };
  }
  return locateSyntaxError(source);
}

class StopParsing extends Error {}

function locateSyntaxError(source: string): SyntaxProblem {
  Handlebars.parse(''); // makes the parser's `yy` the object holding Handlebars' AST builders
  const yy: Record<string, unknown> = Object.create(jison.yy) as Record<string, unknown>;
  yy.locInfo = (l: JisonLocation) => ({
    source: undefined,
    start: { line: l.first_line, column: l.first_column },
    end: { line: l.last_line, column: l.last_column },
  });
  let problem: SyntaxProblem | undefined;
  yy.parseError = (message: string, hash: { token?: string | null; text?: string } | undefined) => {
    problem = explain(source, message, hash, jison.lexer.yylloc);
    throw new StopParsing();
  };
  const probe = Object.create(jison) as JisonParser;
  probe.yy = yy;
  try {
    probe.parse(source);
  } catch {
    // StopParsing, or anything else the grammar throws; `problem` says which.
  }
  const lines = new LineIndex(source);
  return problem ?? { message: 'Handlebars syntax error', ...lines.positionOf(source.length) };
}

function explain(
  source: string,
  message: string,
  hash: { token?: string | null; text?: string } | undefined,
  loc: JisonLocation,
): SyntaxProblem {
  if (message.startsWith('Lexical error')) {
    return { message: 'Handlebars syntax error: unrecognised text inside {{ }}', line: loc.last_line, column: loc.last_column + 1 };
  }
  if (hash?.token === 'EOF') return explainEndOfInput(source);
  if (hash?.token === 'INVALID') {
    // `{{name` at the very end lexes as INVALID: say that the tag is not closed.
    const unterminated = tryScanTags(source)?.unterminated;
    if (unterminated && !source.includes('}}', unterminated.start)) {
      return { message: 'Handlebars syntax error: this "{{" is never closed', ...new LineIndex(source).positionOf(unterminated.start) };
    }
  }
  const text = hash?.text ?? '';
  return {
    message: `Handlebars syntax error: unexpected ${text ? `"${text}"` : String(hash?.token ?? 'token')}`,
    line: loc.first_line,
    column: loc.first_column + 1,
  };
}

/** The template ended early: point at the tag or block that was left open. */
function explainEndOfInput(source: string): SyntaxProblem {
  const lines = new LineIndex(source);
  const scan = tryScanTags(source);
  if (scan?.unterminated) {
    return { message: 'Handlebars syntax error: this "{{" is never closed', ...lines.positionOf(scan.unterminated.start) };
  }
  const open: HandlebarsTag[] = [];
  for (const tag of scan?.tags ?? []) {
    if (tag.kind === 'open') open.push(tag);
    else if (tag.kind === 'close') open.pop();
  }
  const block = open.at(-1);
  if (block) {
    return { message: `Handlebars syntax error: the block ${block.text} is never closed`, ...lines.positionOf(block.start) };
  }
  return { message: 'Handlebars syntax error: unexpected end of template', ...lines.positionOf(source.length) };
}

function tryScanTags(source: string): TagScan | undefined {
  try {
    return scanTags(source);
  } catch {
    return undefined;
  }
}

export type TagKind = 'mustache' | 'open' | 'inverse' | 'close' | 'comment' | 'partial' | 'raw';

/** One `{{...}}` of a source, by offsets [start, end). */
export interface HandlebarsTag {
  kind: TagKind;
  start: number;
  end: number;
  text: string;
}

export interface TagScan {
  tags: HandlebarsTag[];
  /** A tag whose closing `}}` never came (only in sources that do not parse). */
  unterminated: HandlebarsTag | null;
}

const OPENERS: Record<string, TagKind> = {
  OPEN: 'mustache',
  OPEN_UNESCAPED: 'mustache',
  OPEN_BLOCK: 'open',
  OPEN_INVERSE: 'open',
  OPEN_INVERSE_CHAIN: 'inverse',
  OPEN_ENDBLOCK: 'close',
  OPEN_PARTIAL: 'partial',
  OPEN_PARTIAL_BLOCK: 'partial',
  OPEN_RAW_BLOCK: 'raw',
};
const SINGLE_TOKEN_TAGS: Record<string, TagKind> = { INVERSE: 'inverse', COMMENT: 'comment', END_RAW_BLOCK: 'raw' };
const CLOSERS = new Set(['CLOSE', 'CLOSE_UNESCAPED', 'CLOSE_RAW_BLOCK']);

/** Splits a source into its Handlebars tags with Handlebars' own lexer. Throws on text it cannot lex. */
export function scanTags(source: string): TagScan {
  const lexer = Object.create(jison.lexer) as JisonLexer;
  lexer.options = { ...jison.lexer.options, ranges: true };
  lexer.yy = {};
  lexer.setInput(source);
  const tags: HandlebarsTag[] = [];
  let current: { kind: TagKind; start: number } | null = null;
  const make = (kind: TagKind, start: number, end: number): HandlebarsTag => ({ kind, start, end, text: source.slice(start, end) });
  for (;;) {
    const token = lexer.lex();
    const name = typeof token === 'number' ? (jison.terminals_[token] ?? String(token)) : token;
    if (token === lexer.EOF || name === 'EOF') break;
    const [start, end] = lexer.yylloc.range ?? [0, 0];
    if (current) {
      if (CLOSERS.has(name)) {
        tags.push(make(current.kind, current.start, end));
        current = null;
      }
      continue;
    }
    const single = SINGLE_TOKEN_TAGS[name];
    if (single) tags.push(make(single, start, end));
    const opener = OPENERS[name];
    if (opener) current = { kind: opener, start };
  }
  return { tags, unterminated: current ? make(current.kind, current.start, source.length) : null };
}
