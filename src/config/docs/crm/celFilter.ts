/**
 * Turns the simple CEL conditions RevOps teams write (comparisons, `in` lists, `has()`, `&&`,
 * `||`, `!`, `.contains()`) into CRM terms: HubSpot filter wording and Salesforce formulas. Anything
 * beyond that subset, or a field the CRM has no counterpart for, returns `undefined` and the
 * document shows the CEL rule as written instead.
 */

type Literal = string | number | boolean;
type Op = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { readonly kind: 'and' | 'or'; readonly items: readonly Condition[] }
  | { readonly kind: 'not'; readonly item: Condition }
  | { readonly kind: 'has' | 'truthy'; readonly path: string }
  | { readonly kind: 'cmp'; readonly path: string; readonly op: Op; readonly value: Literal }
  | { readonly kind: 'in'; readonly path: string; readonly values: readonly Literal[] }
  | {
      readonly kind: 'text';
      readonly path: string;
      readonly how: 'contains' | 'startsWith' | 'endsWith';
      readonly value: string;
    }
  | { readonly kind: 'includes'; readonly path: string; readonly value: Literal }
  | { readonly kind: 'includesAny'; readonly path: string; readonly values: readonly Literal[] };

type Token =
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'num'; readonly v: number }
  | { readonly t: 'id' | 'op'; readonly v: string };

const TOKEN =
  /\s*(?:("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(\d+(?:\.\d+)?)u?|([A-Za-z_][A-Za-z0-9_]*)|(&&|\|\||==|!=|<=|>=|[<>!()[\],.]))/y;

function tokenize(source: string): Token[] | undefined {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < source.length) {
    if (source.slice(at).trim() === '') break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(source);
    if (m === null) return undefined;
    at = TOKEN.lastIndex;
    if (m[1] !== undefined) tokens.push({ t: 'str', v: m[1].slice(1, -1).replace(/\\(.)/g, '$1') });
    else if (m[2] !== undefined) tokens.push({ t: 'num', v: Number(m[2]) });
    else if (m[3] !== undefined) tokens.push({ t: 'id', v: m[3] });
    else if (m[4] !== undefined) tokens.push({ t: 'op', v: m[4] });
  }
  return tokens;
}

/** Parses the supported subset; `undefined` for anything else. */
export function parseCondition(source: string): Condition | undefined {
  const tokens = tokenize(source);
  if (tokens === undefined) return undefined;
  let i = 0;
  const peek = (v: string): boolean => tokens[i]?.t === 'op' && tokens[i]?.v === v;
  const take = (v: string): boolean => (peek(v) ? (i++, true) : false);
  const fail = (): never => {
    throw new SyntaxError('unsupported');
  };
  const literal = (): Literal => {
    const tok = tokens[i++];
    if (tok === undefined) return fail();
    if (tok.t === 'str' || tok.t === 'num') return tok.v;
    if (tok.t === 'id' && (tok.v === 'true' || tok.v === 'false')) return tok.v === 'true';
    return fail();
  };
  const path = (): string => {
    const parts: string[] = [];
    do {
      const tok = tokens[i++];
      if (tok?.t !== 'id') return fail();
      parts.push(tok.v);
    } while (peek('.') && tokens[i + 1]?.t === 'id' && tokens[i + 2]?.v !== '(' && take('.'));
    return parts.join('.');
  };
  const list = (): Literal[] => {
    if (!take('[')) return fail();
    const values: Literal[] = [];
    while (!take(']')) {
      values.push(literal());
      take(',');
    }
    return values;
  };
  const primary = (): Condition => {
    if (take('(')) {
      const inner = or();
      if (!take(')')) fail();
      return inner;
    }
    const tok = tokens[i];
    if (tok?.t === 'str' || tok?.t === 'num') {
      const value = literal();
      if (!(tokens[i]?.t === 'id' && tokens[i]?.v === 'in')) return fail();
      i++;
      return { kind: 'includes', path: path(), value };
    }
    if (tok?.t === 'id' && tok.v === 'has' && tokens[i + 1]?.v === '(') {
      i += 2;
      const p = path();
      if (!take(')')) fail();
      return { kind: 'has', path: p };
    }
    const p = path();
    if (peek('.') && tokens[i + 1]?.v === 'exists' && tokens[i + 2]?.v === '(') {
      // `list.exists(t, t in ["a", "b"])`: the list holds any of the values.
      i += 3;
      const [v, comma, v2, word] = [tokens[i], tokens[i + 1], tokens[i + 2], tokens[i + 3]];
      if (v?.t !== 'id' || comma?.v !== ',' || v2?.t !== 'id' || v2.v !== v.v || word?.v !== 'in')
        return fail();
      i += 4;
      const values = list();
      if (!take(')')) return fail();
      return { kind: 'includesAny', path: p, values };
    }
    if (peek('.') && tokens[i + 1]?.t === 'id') {
      i++;
      const how = tokens[i++]?.v;
      if ((how !== 'contains' && how !== 'startsWith' && how !== 'endsWith') || !take('(')) return fail();
      const value = literal();
      if (!take(')') || typeof value !== 'string') return fail();
      return { kind: 'text', path: p, how, value };
    }
    const op = tokens[i];
    if (op?.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(op.v)) {
      i++;
      return { kind: 'cmp', path: p, op: op.v as Op, value: literal() };
    }
    if (op?.t === 'id' && op.v === 'in') {
      i++;
      return { kind: 'in', path: p, values: list() };
    }
    return { kind: 'truthy', path: p };
  };
  const unary = (): Condition => (take('!') ? { kind: 'not', item: unary() } : primary());
  const chain = (kind: 'and' | 'or', op: string, next: () => Condition): Condition => {
    const items = [next()];
    while (take(op)) items.push(next());
    return items.length === 1 ? (items[0] as Condition) : { kind, items };
  };
  const and = (): Condition => chain('and', '&&', unary);
  const or = (): Condition => chain('or', '||', and);
  try {
    const result = or();
    return i === tokens.length ? result : undefined;
  } catch {
    return undefined;
  }
}

/** The paths a condition reads. */
export function conditionPaths(c: Condition): string[] {
  switch (c.kind) {
    case 'and':
    case 'or':
      return c.items.flatMap(conditionPaths);
    case 'not':
      return conditionPaths(c.item);
    default:
      return [c.path];
  }
}

const quote = (v: Literal): string =>
  typeof v === 'string' ? `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : String(v);

/** Words for a filter, e.g. `Number of employees is greater than 1000 and State is any of CA, WA`. */
export function conditionWords(
  c: Condition,
  label: (path: string) => string | undefined,
): string | undefined {
  const show = (v: Literal): string => (typeof v === 'string' ? v : String(v));
  const words = (node: Condition, nested: boolean): string | undefined => {
    switch (node.kind) {
      case 'and':
      case 'or': {
        const [a, b] = node.items;
        if (
          node.kind === 'and' &&
          node.items.length === 2 &&
          a?.kind === 'cmp' &&
          b?.kind === 'cmp' &&
          a.path === b.path
        ) {
          const low = a.op === '>=' ? a : b.op === '>=' ? b : undefined;
          const high = a.op === '<=' ? a : b.op === '<=' ? b : undefined;
          const name = label(a.path);
          if (low !== undefined && high !== undefined && name !== undefined)
            return `${name} is between ${show(low.value)} and ${show(high.value)}`;
        }
        const parts = node.items.map((x) => words(x, true));
        if (parts.some((p) => p === undefined)) return undefined;
        const joined = parts.join(node.kind === 'and' ? ' AND ' : ' OR ');
        return nested ? `(${joined})` : joined;
      }
      case 'not': {
        if (node.item.kind === 'has' || node.item.kind === 'truthy') {
          const name = label(node.item.path);
          return name === undefined
            ? undefined
            : `${name} ${node.item.kind === 'has' ? 'is unknown' : 'is false'}`;
        }
        const inner = words(node.item, true);
        return inner === undefined ? undefined : `NOT ${inner}`;
      }
    }
    const name = label(node.path);
    if (name === undefined) return undefined;
    switch (node.kind) {
      case 'has':
        return `${name} is known`;
      case 'truthy':
        return `${name} is true`;
      case 'cmp':
        return `${name} ${OP_WORDS[node.op]} ${show(node.value)}`;
      case 'in':
        return `${name} is any of ${node.values.map(show).join(', ')}`;
      case 'text':
        return `${name} ${node.how === 'contains' ? 'contains' : node.how === 'startsWith' ? 'starts with' : 'ends with'} ${node.value}`;
      case 'includes':
        return `${name} includes ${show(node.value)}`;
      case 'includesAny':
        return `${name} includes any of ${node.values.map(show).join(', ')}`;
    }
  };
  return words(c, false);
}

const OP_WORDS: Readonly<Record<Op, string>> = {
  '==': 'is',
  '!=': 'is not',
  '<': 'is less than',
  '<=': 'is at most',
  '>': 'is greater than',
  '>=': 'is at least',
};

export type FormulaKind = 'text' | 'number' | 'picklist' | 'checkbox' | 'multi';
export interface FormulaField {
  readonly api: string;
  readonly kind: FormulaKind;
}

/** A Salesforce formula, e.g. `AND(NumberOfEmployees > 1000, OR(State = "CA", State = "WA"))`. */
export function conditionFormula(
  c: Condition,
  field: (path: string) => FormulaField | undefined,
): string | undefined {
  const f = (node: Condition): string | undefined => {
    switch (node.kind) {
      case 'and':
      case 'or': {
        const parts = node.items.map(f);
        return parts.some((p) => p === undefined)
          ? undefined
          : `${node.kind.toUpperCase()}(${parts.join(', ')})`;
      }
      case 'not': {
        const inner = f(node.item);
        return inner === undefined ? undefined : `NOT(${inner})`;
      }
    }
    const spec = field(node.path);
    if (spec === undefined) return undefined;
    const { api, kind } = spec;
    const eq = (v: Literal): string =>
      kind === 'picklist' ? `ISPICKVAL(${api}, ${quote(v)})` : `${api} = ${quote(v)}`;
    switch (node.kind) {
      case 'has':
        return kind === 'picklist' ? `NOT(ISPICKVAL(${api}, ""))` : `NOT(ISBLANK(${api}))`;
      case 'truthy':
        return api;
      case 'cmp':
        if (node.op === '==')
          return typeof node.value === 'boolean' ? (node.value ? api : `NOT(${api})`) : eq(node.value);
        if (node.op === '!=') return `NOT(${eq(node.value)})`;
        return `${api} ${node.op} ${quote(node.value)}`;
      case 'in':
        return node.values.length === 1 ? eq(node.values[0] ?? '') : `OR(${node.values.map(eq).join(', ')})`;
      case 'text':
        if (node.how === 'contains') return `CONTAINS(${api}, ${quote(node.value)})`;
        if (node.how === 'startsWith') return `BEGINS(${api}, ${quote(node.value)})`;
        return `RIGHT(${api}, ${node.value.length}) = ${quote(node.value)}`;
      case 'includes':
        return kind === 'multi'
          ? `INCLUDES(${api}, ${quote(node.value)})`
          : `CONTAINS(${api}, ${quote(node.value)})`;
      case 'includesAny': {
        const one = (v: Literal): string =>
          kind === 'multi' ? `INCLUDES(${api}, ${quote(v)})` : `CONTAINS(${api}, ${quote(v)})`;
        return node.values.length === 1
          ? one(node.values[0] ?? '')
          : `OR(${node.values.map(one).join(', ')})`;
      }
    }
  };
  return f(c);
}
