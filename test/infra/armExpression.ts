/**
 * A small evaluator of ARM template expressions, for the functions our compiled templates use in variables and
 * role conditions. It lets a test ask the compiled template what it computes for a given config, rather than
 * reading the Bicep text. An unknown function throws: the evaluator never guesses.
 */

export interface Scope {
  parameters: Record<string, unknown>;
  variables: Record<string, unknown>;
  /** What `reference('<symbol>', …)` answers: the resources an `existing` declaration reads at deployment. */
  references?: Record<string, unknown>;
  /** Where the template is deployed: what resourceId() and subscription() answer. */
  deployment?: { subscriptionId: string; resourceGroup: string };
  /** copyIndex('<loop>') inside a variable copy loop. */
  copyIndexes?: Record<string, number>;
  /** Values of `variables('x')` already evaluated. */
  evaluated?: Map<string, unknown>;
}

type Node =
  | { kind: 'literal'; value: unknown }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'property'; target: Node; name: string }
  | { kind: 'index'; target: Node; index: Node };

class Parser {
  private at = 0;
  constructor(private readonly text: string) {}

  parse(): Node {
    const node = this.expression();
    this.space();
    if (this.at !== this.text.length) throw new Error(`unexpected '${this.text.slice(this.at, this.at + 20)}' in ${this.text}`);
    return node;
  }

  private space(): void {
    while (this.text[this.at] === ' ') this.at++;
  }

  private expression(): Node {
    this.space();
    let node = this.primary();
    for (;;) {
      const c = this.text[this.at];
      if (c === '.') {
        this.at++;
        const name = /^[A-Za-z_$][\w$]*/.exec(this.text.slice(this.at))![0];
        this.at += name.length;
        node = { kind: 'property', target: node, name };
      } else if (c === '[') {
        this.at++;
        const index = this.expression();
        this.expect(']');
        node = { kind: 'index', target: node, index };
      } else return node;
    }
  }

  private primary(): Node {
    const c = this.text[this.at];
    if (c === "'") {
      let value = '';
      this.at++;
      for (;;) {
        const ch = this.text[this.at++];
        if (ch === undefined) throw new Error(`unterminated string in ${this.text}`);
        if (ch === "'") {
          if (this.text[this.at] === "'") {
            value += "'";
            this.at++;
          } else break;
        } else value += ch;
      }
      return { kind: 'literal', value };
    }
    const number = /^-?\d+/.exec(this.text.slice(this.at));
    if (number) {
      this.at += number[0].length;
      return { kind: 'literal', value: Number(number[0]) };
    }
    const name = /^[A-Za-z_][\w.]*/.exec(this.text.slice(this.at))?.[0];
    if (!name) throw new Error(`cannot parse '${this.text.slice(this.at, this.at + 20)}'`);
    this.at += name.length;
    this.expect('(');
    const args: Node[] = [];
    this.space();
    if (this.text[this.at] !== ')') {
      for (;;) {
        args.push(this.expression());
        this.space();
        if (this.text[this.at] === ',') this.at++;
        else break;
      }
    }
    this.expect(')');
    return { kind: 'call', name, args };
  }

  private expect(c: string): void {
    this.space();
    if (this.text[this.at] !== c) throw new Error(`expected '${c}' at ${this.at} in ${this.text}`);
    this.at++;
  }
}

type Lambda = { lambda: true; names: string[]; body: Node };
const isLambda = (v: unknown): v is Lambda => typeof v === 'object' && v !== null && (v as Lambda).lambda === true;

/** Evaluates a template value: a `[…]` expression string, or an object/array whose members may be expressions. */
export function evaluate(value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') {
    if (value.startsWith('[[')) return value.slice(1);
    if (value.startsWith('[') && value.endsWith(']')) return run(new Parser(value.slice(1, -1)).parse(), scope, {});
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => evaluate(v, scope));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluate(v, scope)]));
  return value;
}

type CopyLoop = { name: string; count: unknown; input: unknown };

function variable(name: string, scope: Scope): unknown {
  scope.evaluated ??= new Map();
  if (!scope.evaluated.has(name)) {
    // `var x = [for …]` compiles to a copy loop under variables.copy, each item evaluated with its copyIndex.
    const loop = ((scope.variables['copy'] ?? []) as CopyLoop[]).find((c) => c.name === name);
    if (loop) {
      const count = evaluate(loop.count, scope) as number;
      const items = Array.from({ length: count }, (_, i) => evaluate(loop.input, { ...scope, copyIndexes: { ...scope.copyIndexes, [name]: i } }));
      scope.evaluated.set(name, items);
    } else if (name in scope.variables) scope.evaluated.set(name, evaluate(scope.variables[name], scope));
    else throw new Error(`no variable '${name}'`);
  }
  return scope.evaluated.get(name);
}

function run(node: Node, scope: Scope, locals: Record<string, unknown>): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'property': {
      const target = run(node.target, scope, locals) as Record<string, unknown>;
      if (target === null || target === undefined || !(node.name in target)) throw new Error(`no property '${node.name}'`);
      return target[node.name];
    }
    case 'index': {
      const target = run(node.target, scope, locals) as Record<string, unknown> & unknown[];
      const index = run(node.index, scope, locals) as string | number;
      if (target[index as number] === undefined) throw new Error(`no index ${String(index)}`);
      return target[index as number];
    }
    case 'call':
      return call(node, scope, locals);
  }
}

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
const same = (a: unknown, b: unknown) => JSON.stringify(lower(a)) === JSON.stringify(lower(b));

/** What fail() raises: the deployment stops with this message. */
export class TemplateFailure extends Error {}

function call(node: Extract<Node, { kind: 'call' }>, scope: Scope, locals: Record<string, unknown>): unknown {
  const arg = (i: number) => run(node.args[i]!, scope, locals);
  const args = () => node.args.map((a) => run(a, scope, locals));
  const apply = (fn: unknown, ...values: unknown[]) => {
    if (!isLambda(fn)) throw new Error('expected a lambda');
    const inner = { ...locals };
    fn.names.forEach((n, i) => (inner[n] = values[i]));
    return run(fn.body, scope, inner);
  };
  switch (node.name) {
    case 'parameters': {
      const name = arg(0) as string;
      if (!(name in scope.parameters)) throw new Error(`no parameter '${name}'`);
      return scope.parameters[name];
    }
    case 'variables':
      return variable(arg(0) as string, scope);
    case 'lambda': {
      const names = node.args.slice(0, -1).map((a) => run(a, scope, locals) as string);
      return { lambda: true, names, body: node.args[node.args.length - 1]! } satisfies Lambda;
    }
    case 'copyIndex': {
      const index = scope.copyIndexes?.[arg(0) as string];
      if (index === undefined) throw new Error(`copyIndex('${String(arg(0))}') outside its loop`);
      return index;
    }
    case 'lambdaVariables':
      return locals[arg(0) as string];
    case 'map':
      return (arg(0) as unknown[]).map((item, i) => apply(arg(1), item, i));
    case 'filter':
      return (arg(0) as unknown[]).filter((item) => apply(arg(1), item) === true);
    case 'toObject': {
      const fn = arg(2);
      return Object.fromEntries((arg(0) as unknown[]).map((item) => [apply(arg(1), item), fn === undefined ? item : apply(fn, item)]));
    }
    case 'items':
      return Object.entries(arg(0) as object).map(([key, value]) => ({ key, value }));
    case 'createObject': {
      const values = args();
      const result: Record<string, unknown> = {};
      for (let i = 0; i < values.length; i += 2) result[values[i] as string] = values[i + 1];
      return result;
    }
    case 'createArray':
      return args();
    case 'union': {
      const values = args();
      if (Array.isArray(values[0])) {
        const out: unknown[] = [];
        for (const v of values.flat()) if (!out.some((o) => JSON.stringify(o) === JSON.stringify(v))) out.push(v);
        return out;
      }
      return Object.assign({}, ...(values as object[]));
    }
    case 'concat': {
      const values = args();
      return Array.isArray(values[0]) ? values.flat() : values.join('');
    }
    case 'flatten':
      return (arg(0) as unknown[][]).flat();
    case 'contains': {
      const [container, item] = args();
      if (typeof container === 'string') return container.toLowerCase().includes(String(item).toLowerCase());
      if (Array.isArray(container)) return container.some((c) => same(c, item));
      return Object.keys(container as object).some((k) => same(k, item));
    }
    case 'tryGet': {
      const [target, key] = args();
      return target && typeof target === 'object' ? ((target as Record<string, unknown>)[key as string] ?? null) : null;
    }
    case 'coalesce':
      return args().find((v) => v !== null && v !== undefined) ?? null;
    case 'empty': {
      const v = arg(0);
      return v === null || v === '' || (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.keys(v).length === 0);
    }
    case 'equals':
      return JSON.stringify(arg(0)) === JSON.stringify(arg(1));
    case 'not':
      return !arg(0);
    case 'and':
      return args().every(Boolean);
    case 'or':
      return args().some(Boolean);
    case 'if':
      return arg(0) ? arg(1) : arg(2);
    case 'true':
      return true;
    case 'false':
      return false;
    case 'null':
      return null;
    case 'fail':
      throw new TemplateFailure(String(arg(0)));
    case 'toLower':
      return String(arg(0)).toLowerCase();
    case 'split':
      return String(arg(0)).split(String(arg(1)));
    case 'last': {
      const v = arg(0) as unknown[];
      return v[v.length - 1];
    }
    case 'first':
      return (arg(0) as unknown[])[0];
    case 'length':
      return (arg(0) as unknown[]).length;
    case 'take': {
      const value = arg(0);
      return typeof value === 'string' ? value.slice(0, arg(1) as number) : (value as unknown[]).slice(0, arg(1) as number);
    }
    case 'join':
      return (arg(0) as unknown[]).join(String(arg(1)));
    case 'startsWith':
      return String(arg(0))
        .toLowerCase()
        .startsWith(String(arg(1)).toLowerCase());
    case 'format': {
      const [template, ...values] = args();
      return String(template)
        .replace(/\{(\d+)\}/g, (_m, i: string) => String(values[Number(i)]))
        .replace(/\{\{/g, '{')
        .replace(/\}\}/g, '}');
    }
    case 'extensionResourceId':
    case 'subscriptionResourceId':
      // Only as reference()'s argument, naming a module deployment: its name is what the test's references key.
      return String(args().at(-1));
    case 'reference': {
      const name = arg(0) as string;
      if (!scope.references || !(name in scope.references)) throw new Error(`no reference for '${name}'`);
      return scope.references[name];
    }
    case 'subscription': {
      const subscriptionId = scope.deployment?.subscriptionId ?? '00000000-0000-0000-0000-000000000000';
      return { subscriptionId, id: `/subscriptions/${subscriptionId}` };
    }
    case 'resourceId': {
      // resourceId('<namespace/type/child>', name, childName…) in the deployment's resource group.
      const [type, ...names] = args() as string[];
      const [namespace, ...types] = type!.split('/');
      const where = scope.deployment ?? { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'rg' };
      const path = types.map((t, i) => `${t}/${names[i]}`).join('/');
      return `/subscriptions/${where.subscriptionId}/resourceGroups/${where.resourceGroup}/providers/${namespace}/${path}`;
    }
    case 'string':
      return typeof arg(0) === 'string' ? arg(0) : JSON.stringify(arg(0));
    case 'greater':
      return (arg(0) as number) > (arg(1) as number);
    case 'max':
      return Math.max(...(args() as number[]));
    case 'add':
      return (arg(0) as number) + (arg(1) as number);
    default:
      throw new Error(`the test evaluator does not know ARM function '${node.name}'`);
  }
}
