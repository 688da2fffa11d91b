// The subset of Watson's dialog condition language (a SpEL dialect) that real workspaces mostly use,
// parsed once into closures.
import type { RuntimeEntity } from './runtime-entity.js';

export interface ConditionContext {
  /** The top intent when its confidence is at least 0.2, as Watson's `#intent` requires. */
  readonly topIntent: string | undefined;
  readonly entities: readonly RuntimeEntity[];
  readonly variables: Readonly<Record<string, unknown>>;
  /** First turn of a conversation with no user text. */
  readonly welcome: boolean;
  /** First turn of a conversation, with or without user text. */
  readonly conversationStart: boolean;
}

export interface Condition {
  readonly source: string;
  /** Why the source did not parse; `evaluate` is then always false. */
  readonly error: string | undefined;
  evaluate(context: ConditionContext): boolean;
}

type Evaluate = (context: ConditionContext) => unknown;
type Token =
  | { kind: 'symbol'; text: string; at: number }
  | { kind: 'word'; text: string; at: number }
  | { kind: 'operand'; evaluate: Evaluate; at: number };

export function compileCondition(source: string | undefined): Condition {
  const text = source ?? '';
  // Watson never fires a node without a condition (other than by jumping to it).
  if (text.trim() === '') return { source: text, error: undefined, evaluate: () => false };
  try {
    const evaluate = new Parser(tokenize(text)).parse();
    return { source: text, error: undefined, evaluate: (context) => Boolean(evaluate(context)) };
  } catch (e) {
    return { source: text, error: `Condition "${text}" could not be parsed: ${(e as Error).message}`, evaluate: () => false };
  }
}

const NAME = '[\\p{L}\\p{N}_.-]+';
const LEXEMES: [RegExp, (m: RegExpExecArray, at: number) => Token | undefined][] = [
  [/\s+/uy, () => undefined],
  [/&&|\|\||==|!=|>=|<=|[()!<>]/uy, (m, at) => ({ kind: 'symbol', text: m[0], at })],
  [new RegExp(`#(${NAME})`, 'uy'), (m, at) => operand(intentIs(m[1]!), at)],
  [new RegExp(`@(${NAME}):(?:\\(([^)]*)\\)|(${NAME}))`, 'uy'), (m, at) => operand(entityHas(m[1]!, (m[2] ?? m[3])!), at)],
  [new RegExp(`@(${NAME})`, 'uy'), (m, at) => operand(entityValue(m[1]!), at)],
  [/\$([\p{L}\p{N}_]+(?:\.[\p{L}\p{N}_]+)*)/uy, (m, at) => operand(variable(m[1]!.split('.')), at)],
  [/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/uy, (m, at) => operand(constant(unescape((m[1] ?? m[2])!)), at)],
  [/-?\d+(?:\.\d+)?(?![\p{L}_])/uy, (m, at) => operand(constant(Number(m[0])), at)],
  [/[\p{L}_][\p{L}\p{N}_]*/uy, (m, at) => ({ kind: 'word', text: m[0].toLowerCase(), at })],
];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  scan: while (at < text.length) {
    for (const [pattern, make] of LEXEMES) {
      pattern.lastIndex = at;
      const m = pattern.exec(text);
      if (m === null) continue;
      const token = make(m, at);
      if (token !== undefined) tokens.push(token);
      at += m[0].length;
      continue scan;
    }
    throw new Error(`unexpected character '${text[at]}' at position ${at}`);
  }
  return tokens;
}

const operand = (evaluate: Evaluate, at: number): Token => ({ kind: 'operand', evaluate, at });
const constant = (value: unknown): Evaluate => () => value;
const unescape = (s: string) => s.replace(/\\(.)/gu, '$1');

const intentIs = (name: string): Evaluate => (c) => c.topIntent === name;
// The value of the first mention: truthy when the entity was detected, comparable with == and >.
const entityValue = (name: string): Evaluate => (c) => c.entities.find((e) => e.entity === name)?.value;
const entityHas = (name: string, value: string): Evaluate => {
  const wanted = value.trim().toLowerCase();
  return (c) => c.entities.some((e) => e.entity === name && e.value.toLowerCase() === wanted);
};
const variable = (path: string[]): Evaluate => (c) => {
  let value: unknown = c.variables;
  for (const key of path) {
    // Own properties only: `$constructor` must not reach Object.prototype.
    value = value !== null && typeof value === 'object' && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
};

// Maps, not object literals: a condition word such as `constructor` must not find Object.prototype.
const KEYWORDS = new Map<string, Evaluate>([
  ['true', constant(true)],
  ['false', constant(false)],
  ['null', constant(null)],
  ['anything_else', constant(true)],
  ['welcome', (c) => c.welcome],
  ['conversation_start', (c) => c.conversationStart],
  ['irrelevant', (c) => c.topIntent === undefined],
]);

const COMPARISONS = new Map<string, (a: unknown, b: unknown) => boolean>([
  ['==', (a, b) => equal(a, b)],
  ['!=', (a, b) => !equal(a, b)],
  ['>', (a, b) => numeric(a, b, (x, y) => x > y)],
  ['<', (a, b) => numeric(a, b, (x, y) => x < y)],
  ['>=', (a, b) => numeric(a, b, (x, y) => x >= y)],
  ['<=', (a, b) => numeric(a, b, (x, y) => x <= y)],
]);

/** or := and (('||' | 'or') and)* ; and := unary (('&&' | 'and') unary)* ; unary := ('!' | 'not') unary | comparison */
class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): Evaluate {
    const expression = this.or();
    const extra = this.tokens[this.position];
    if (extra !== undefined) throw new Error(`unexpected ${describe(extra)} at position ${extra.at}`);
    return expression;
  }

  private or(): Evaluate {
    let left = this.and();
    while (this.accept('||', 'or')) {
      const [l, r] = [left, this.and()];
      left = (c) => Boolean(l(c)) || Boolean(r(c));
    }
    return left;
  }

  private and(): Evaluate {
    let left = this.unary();
    while (this.accept('&&', 'and')) {
      const [l, r] = [left, this.unary()];
      left = (c) => Boolean(l(c)) && Boolean(r(c));
    }
    return left;
  }

  private unary(): Evaluate {
    if (this.accept('!', 'not')) {
      const inner = this.unary();
      return (c) => !inner(c);
    }
    return this.comparison();
  }

  private comparison(): Evaluate {
    const left = this.primary();
    const token = this.tokens[this.position];
    const compare = token?.kind === 'symbol' ? COMPARISONS.get(token.text) : undefined;
    if (compare === undefined) return left;
    this.position++;
    const right = this.primary();
    return (c) => compare(left(c), right(c));
  }

  private primary(): Evaluate {
    const token = this.tokens[this.position++];
    if (token === undefined) throw new Error('unexpected end of condition');
    if (token.kind === 'operand') return token.evaluate;
    if (token.kind === 'symbol' && token.text === '(') {
      const inner = this.or();
      if (!this.accept(')', ')')) throw new Error(`missing ')' for '(' at position ${token.at}`);
      return inner;
    }
    const keyword = token.kind === 'word' ? KEYWORDS.get(token.text) : undefined;
    if (keyword === undefined) throw new Error(`unexpected ${describe(token)} at position ${token.at}`);
    return keyword;
  }

  private accept(symbol: string, word: string): boolean {
    const token = this.tokens[this.position];
    if (token === undefined || token.kind === 'operand') return false;
    if (token.text !== (token.kind === 'symbol' ? symbol : word)) return false;
    this.position++;
    return true;
  }
}

function describe(token: Token): string {
  return token.kind === 'operand' ? 'operand' : `'${token.text}'`;
}

function equal(a: unknown, b: unknown): boolean {
  // Unset and null are the same thing to a dialog author.
  if (a === undefined || a === null || b === undefined || b === null) return (a ?? null) === (b ?? null);
  const x = toNumber(a);
  const y = toNumber(b);
  if (x !== undefined && y !== undefined) return x === y;
  return String(a) === String(b);
}

function numeric(a: unknown, b: unknown, test: (x: number, y: number) => boolean): boolean {
  const x = toNumber(a);
  const y = toNumber(b);
  return x !== undefined && y !== undefined && test(x, y);
}

// Entity values and many context variables are numeric strings ("42"); comparisons treat them as numbers.
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}
