import type { SourcePosition } from './source-position.js';
import { BUILT_IN_HELPERS, isKnownHelper } from './template.helpers.js';

/** A rule the Handlebars AST breaks (partials, decorators, unknown helpers, wrong arity). */
export interface AstProblem extends SourcePosition {
  message: string;
}

type Node = hbs.AST.Node;
type CallNode = hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression;

const BLOCK_ONLY = new Set(['if', 'unless', 'each', 'with']);
const ARITY: Record<string, number> = { if: 1, unless: 1, each: 1, with: 1, lookup: 2 };

/**
 * Checks what the grammar allows but Orqestra does not: partials and decorators (no template
 * may pull in another), helpers other than the built-in ones (there is no way to define one),
 * and built-in block helpers called with the wrong number of values (Handlebars would only
 * throw at send time).
 */
export function checkTemplateAst(ast: hbs.AST.Program): AstProblem[] {
  const problems: AstProblem[] = [];
  const report = (node: Node, message: string) => problems.push({ message, ...positionOf(node) });
  visitProgram(ast, report);
  return problems;
}

type Report = (node: Node, message: string) => void;

function visitProgram(program: hbs.AST.Program | undefined, report: Report): void {
  for (const statement of program?.body ?? []) visitStatement(statement, report);
}

function visitStatement(node: Node, report: Report): void {
  switch (node.type) {
    case 'MustacheStatement':
    case 'BlockStatement':
      visitCall(node as CallNode, report);
      break;
    case 'Decorator':
    case 'DecoratorBlock':
      report(node, 'Decorators and inline partials ({{* …}}, {{#* inline}}) are not supported');
      break;
    case 'PartialStatement':
    case 'PartialBlockStatement':
      report(node, 'Partials ({{> name}}) are not supported: write the shared part into the template');
      break;
    default:
      break; // content and comments
  }
}

function visitCall(node: CallNode, report: Report): void {
  const name = helperCallName(node);
  if (name !== null) {
    if (!isKnownHelper(name)) {
      report(
        node,
        `Unknown helper "${name}": only the built-in helpers exist (${[...BUILT_IN_HELPERS, 'if', 'unless', 'each', 'with', 'lookup'].join(', ')})`,
      );
    } else {
      const expected = ARITY[name];
      if (expected !== undefined && node.params.length !== expected) {
        report(node, `"${name}" takes exactly ${expected} value${expected === 1 ? '' : 's'}, got ${node.params.length}`);
      }
      if (node.type === 'MustacheStatement' && BLOCK_ONLY.has(name)) {
        report(node, `"${name}" is a block helper: write {{#${name} …}}…{{/${name}}}`);
      }
    }
  }
  for (const param of node.params) visitExpression(param, report);
  for (const pair of node.hash?.pairs ?? []) visitExpression(pair.value, report);
  if (node.type === 'BlockStatement') {
    visitProgram(node.program, report);
    visitProgram(node.inverse, report);
  }
}

function visitExpression(node: Node, report: Report): void {
  if (node.type === 'SubExpression') visitCall(node as hbs.AST.SubExpression, report);
}

/**
 * The helper a node calls, or null when it is a plain value lookup. Follows Handlebars'
 * classification: a sub-expression, or anything with parameters or a hash, is a helper call;
 * a bare simple name is one only when it names a known helper.
 */
export function helperCallName(node: CallNode): string | null {
  const path = node.path as hbs.AST.PathExpression | hbs.AST.Literal;
  const original = 'original' in path ? String((path as { original: unknown }).original) : '';
  const hasArguments = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
  if (node.type === 'SubExpression' || hasArguments) return original;
  if (isSimpleName(path) && isKnownHelper(original)) return original;
  return null;
}

export function isSimpleName(path: hbs.AST.PathExpression | hbs.AST.Literal): path is hbs.AST.PathExpression {
  if (path.type !== 'PathExpression') return false;
  const p = path as hbs.AST.PathExpression;
  return !p.data && p.depth === 0 && p.parts.length === 1 && !/^(this|\.)([./]|$)/.test(p.original);
}

export function positionOf(node: Node): SourcePosition {
  return { line: node.loc?.start.line ?? 1, column: (node.loc?.start.column ?? 0) + 1 };
}
