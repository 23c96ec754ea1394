/**
 * Makes a template's running time and output observable while it runs. Handlebars cannot be
 * interrupted from outside, so the renderer gives it checkpoints instead:
 *   - every `{{value}}` a template prints goes through the `__output` helper, which adds the
 *     value's length to the render's output and checks the clock (this bounds a small
 *     template that prints a large variable thousands of times);
 *   - every helper call, `if`/`each`/`with` included, checks the clock first;
 *   - every loop iteration checks the clock and the loop's output so far.
 * Between two checkpoints a template only copies its own text, which is at most 100 KiB.
 */

import Handlebars from 'handlebars';
import { helperCallName } from './handlebars-checks.js';
import { OUTPUT_HELPER, URL_OUTPUT_HELPER } from './template.helpers.js';

type Expression = hbs.AST.Expression;

/**
 * The AST the renderer compiles: the source parsed as Handlebars does (whitespace control is
 * applied by the compiler), with every printed value routed through the output helper.
 */
export function parseForRender(source: string, html = false): hbs.AST.Program {
  return instrumentOutputs(Handlebars.parseWithoutProcessing(source), (node) => helperCallName(node) !== null, html);
}

/**
 * Static HTML that ends where a URL attribute's value begins (`href="`, `src='`, `action=`...): a
 * value printed right there chooses the URL's scheme.
 */
const URL_ATTRIBUTE_START = /\s(?:href|src|action|formaction|xlink:href|poster|background|cite|srcset)\s*=\s*["']?\s*$/i;

/**
 * Rewrites `{{x}}` as `{{__output x}}` and `{{helper a b=c}}` as `{{__output (helper a b=c)}}`,
 * in place, keeping escaping and whitespace control. `{{"name"}}` (a literal used as a name)
 * becomes the path it denotes, as Handlebars itself does.
 */
export function instrumentOutputs(program: hbs.AST.Program, isHelperCall: (node: hbs.AST.MustacheStatement) => boolean, html = false): hbs.AST.Program {
  const visit = (body: hbs.AST.Statement[]) => {
    body.forEach((statement, index) => {
      if (statement.type === 'MustacheStatement') {
        // In HTML, a value that starts a URL attribute goes through the URL helper (http, https,
        // mailto, tel and relative URLs only), so a variable cannot make a javascript: link.
        const before = body[index - 1];
        const startsUrl = html && before?.type === 'ContentStatement' && URL_ATTRIBUTE_START.test((before as hbs.AST.ContentStatement).value);
        body[index] = wrap(statement as hbs.AST.MustacheStatement, isHelperCall, startsUrl ? URL_OUTPUT_HELPER : OUTPUT_HELPER);
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

function wrap(node: hbs.AST.MustacheStatement, isHelperCall: (node: hbs.AST.MustacheStatement) => boolean, helper: string): hbs.AST.MustacheStatement {
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
