/**
 * Makes a template's running time and output observable while it runs. Handlebars cannot be
 * interrupted from outside, so the renderer gives it checkpoints instead:
 *   - every `{{value}}` a template prints goes through the `__output` helper, which adds the
 *     value's length to the render's output and checks the clock (this bounds a small
 *     template that prints a large variable thousands of times);
 *   - every helper call, `if`/`each`/`with` included, checks the clock first;
 *   - every loop iteration checks the clock and the loop's output so far.
 * Between two checkpoints a template only copies its own text, which is at most 100 KiB.
 * In an HTML body the output helper is `__html_output`, which also marks each printed value, so
 * that the renderer can check URL attributes as rendered (url-attributes.ts).
 */

import Handlebars from 'handlebars';
import { helperCallName } from './handlebars-checks.js';
import { HTML_OUTPUT_HELPER, OUTPUT_HELPER } from './template.helpers.js';

type Expression = hbs.AST.Expression;

/**
 * The AST the renderer compiles: the source parsed as Handlebars does (whitespace control is
 * applied by the compiler), with every printed value routed through the output helper.
 */
export function parseForRender(source: string, html = false): hbs.AST.Program {
  return instrumentOutputs(Handlebars.parseWithoutProcessing(source), (node) => helperCallName(node) !== null, html);
}

/**
 * Rewrites `{{x}}` as `{{__output x}}` and `{{helper a b=c}}` as `{{__output (helper a b=c)}}`
 * (`__html_output` in HTML), in place, keeping escaping and whitespace control. `{{"name"}}` (a
 * literal used as a name) becomes the path it denotes, as Handlebars itself does.
 */
export function instrumentOutputs(
  program: hbs.AST.Program,
  isHelperCall: (node: hbs.AST.MustacheStatement) => boolean,
  html = false,
): hbs.AST.Program {
  const helper = html ? HTML_OUTPUT_HELPER : OUTPUT_HELPER;
  const visit = (body: hbs.AST.Statement[]) => {
    body.forEach((statement, index) => {
      if (statement.type === 'MustacheStatement') {
        body[index] = wrap(statement as hbs.AST.MustacheStatement, isHelperCall, helper);
      } else if (statement.type === 'BlockStatement') {
        const block = statement as hbs.AST.BlockStatement;
        if (block.program) visit(block.program.body);
        if (block.inverse) visit(block.inverse.body);
      }
    });
  };
  visit(program.body);
  return program;
}

function wrap(
  node: hbs.AST.MustacheStatement,
  isHelperCall: (node: hbs.AST.MustacheStatement) => boolean,
  helper: string,
): hbs.AST.MustacheStatement {
  const loc = node.loc;
  let value: Expression;
  if (isHelperCall(node)) {
    value = { type: 'SubExpression', path: node.path, params: node.params, hash: node.hash, loc } as hbs.AST.SubExpression;
  } else if (node.path.type === 'PathExpression') {
    value = node.path;
  } else {
    const name = String((node.path as { original?: unknown }).original);
    value = { type: 'PathExpression', data: false, depth: 0, parts: [name], original: name, loc } as hbs.AST.PathExpression;
  }
  const path = { type: 'PathExpression', data: false, depth: 0, parts: [helper], original: helper, loc } as hbs.AST.PathExpression;
  return { ...node, path, params: [value], hash: undefined as unknown as hbs.AST.Hash };
}
