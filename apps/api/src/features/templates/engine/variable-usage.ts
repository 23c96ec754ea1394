import { helperCallName, positionOf } from './handlebars-checks.js';
import type { SourcePosition } from './source-position.js';

/** A variable the template reads that the sample does not have. */
export interface UnknownVariable extends SourcePosition {
  path: string;
}

const UNKNOWN = Symbol('unknown');
type Value = unknown;

interface Frame {
  context: Value;
  blockParams: Map<string, Value>;
}

/**
 * Walks a template's AST the way Handlebars resolves it and lists every path the sample cannot
 * answer: dotted paths (`order.items.0.name`), `../` and `@root` lookups, and paths inside
 * `{{#each}}` / `{{#with}}` / section blocks against the element they iterate (the first one
 * of a list). Helper names, `this`, `@index`-style data and block parameters are not
 * variables. Where the sample cannot tell (an empty list), nothing below it is reported; the
 * first argument of `default` is expected to be missing sometimes and is not reported.
 */
export function findUnknownVariables(ast: hbs.AST.Program, sample: Record<string, unknown>): UnknownVariable[] {
  const found: UnknownVariable[] = [];
  const walker = new Walker(sample, (node, path) => {
    const position = positionOf(node);
    if (!found.some((f) => f.path === path && f.line === position.line && f.column === position.column)) found.push({ path, ...position });
  });
  walker.program(ast, [{ context: sample, blockParams: new Map() }]);
  return found;
}

type CallNode = hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression;

class Walker {
  constructor(
    private readonly root: Record<string, unknown>,
    private readonly report: (node: hbs.AST.Node, path: string) => void,
  ) {}

  program(program: hbs.AST.Program | undefined, frames: Frame[]): void {
    for (const statement of program?.body ?? []) {
      if (statement.type === 'MustacheStatement') this.call(statement as hbs.AST.MustacheStatement, frames);
      else if (statement.type === 'BlockStatement') this.block(statement as hbs.AST.BlockStatement, frames);
    }
  }

  private call(node: CallNode, frames: Frame[]): Value {
    const helper = helperCallName(node);
    if (helper === null) return this.resolve(node.path, frames);
    node.params.forEach((param, index) => {
      if (!(helper === 'default' && index === 0)) this.resolve(param, frames);
    });
    for (const pair of node.hash?.pairs ?? []) this.resolve(pair.value, frames);
    return UNKNOWN;
  }

  private block(node: hbs.AST.BlockStatement, frames: Frame[]): void {
    const helper = helperCallName(node);
    const params = node.program?.blockParams ?? [];
    if (helper === null) {
      // Section syntax {{#list}}…{{/list}}: iterates a list, enters an object, else like #if.
      const value = this.resolve(node.path, frames);
      const inner =
        value === UNKNOWN || isObject(value) ? this.enter(frames, Array.isArray(value) ? firstItem(value) : value, [], []) : frames;
      this.program(node.program, inner);
      this.program(node.inverse, frames);
      return;
    }
    const values = node.params.map((param) => this.resolve(param, frames));
    for (const pair of node.hash?.pairs ?? []) this.resolve(pair.value, frames);
    if (helper === 'each') {
      const item = firstItem(values[0]);
      this.program(node.program, this.enter(frames, item, params, [item, UNKNOWN]));
    } else if (helper === 'with') {
      this.program(node.program, this.enter(frames, values[0], params, [values[0]]));
    } else {
      this.program(node.program, frames);
    }
    this.program(node.inverse, frames);
  }

  /** A new context frame; `names` are the block's `as |a b|` parameters, bound to `values`. */
  private enter(frames: Frame[], context: Value, names: string[], values: Value[]): Frame[] {
    const blockParams = new Map(names.map((name, index) => [name, values[index] ?? UNKNOWN] as const));
    return [...frames, { context, blockParams }];
  }

  private resolve(node: hbs.AST.Node, frames: Frame[]): Value {
    if (node.type === 'SubExpression') return this.call(node as hbs.AST.SubExpression, frames);
    if (node.type !== 'PathExpression') return UNKNOWN; // literals
    const path = node as hbs.AST.PathExpression;
    let base: Value;
    let parts = path.parts;
    if (path.data) {
      if (parts[0] !== 'root') return UNKNOWN; // @index, @key, @first, …
      base = this.root;
      parts = parts.slice(1);
    } else {
      const scoped = /^(this|\.)([./]|$)/.test(path.original);
      const param = !scoped && path.depth === 0 ? findBlockParam(frames, parts[0]) : undefined;
      if (param) {
        base = param.value;
        parts = parts.slice(1);
      } else {
        base = frames[Math.max(0, frames.length - 1 - path.depth)]?.context;
      }
    }
    let current = base;
    for (const part of parts) {
      if (current === UNKNOWN) return UNKNOWN;
      if (!isObject(current) || !Object.hasOwn(current, part)) {
        this.report(node, path.original);
        return UNKNOWN;
      }
      current = (current as Record<string, unknown>)[part];
    }
    return current;
  }
}

function findBlockParam(frames: Frame[], name: string | undefined): { value: Value } | undefined {
  if (name === undefined) return undefined;
  for (let i = frames.length - 1; i >= 0; i--) {
    const params = frames[i]?.blockParams;
    if (params?.has(name)) return { value: params.get(name) };
  }
  return undefined;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** What a block body sees of a list or object it iterates: its first element, if any. */
function firstItem(value: Value): Value {
  if (Array.isArray(value)) return value.length > 0 ? value[0] : UNKNOWN;
  if (isObject(value)) {
    const first = Object.values(value)[0];
    return first === undefined ? UNKNOWN : first;
  }
  return UNKNOWN;
}
