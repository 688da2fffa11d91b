// Grammar (AND binds tighter than OR, as in ordinary boolean notation; keywords are case-insensitive):
//   filter     := or END
//   or         := and ( OR and )*
//   and        := primary ( AND primary )*
//   primary    := '(' or ')' | comparison
//   comparison := dimension operator value
//   operator   := '==' | '!=' | '=~' | '!~' | '=@' | '!@' | '<' | '<=' | '>' | '>=' | IN | NOT_IN
//   value      := string | number | NULL | '[' ( scalar ( ',' scalar )* )? ']'      scalar := string | number
// AND, OR, IN, NOT_IN and NULL are reserved: none of them can be a dimension name.
import type { ReadFilter, ReadFilterComparison } from './ast.js';
import { expectedAt, invalidAt, ReadFilterError } from './errors.js';
import { describeToken, isSymbol, type Keyword, Lexer, type Token } from './lexer.js';
import { OPERATOR_LIST, OPERATORS, type OperatorRule } from './operators.js';
import { readValue } from './value.js';

/** Bounds that keep the cost of one bad request small. */
export const READ_FILTER_LIMITS = { maxLength: 4096, maxDepth: 32, maxComparisons: 200 } as const;

/** Parses one Read API filter string; throws only ReadFilterError, whatever `input` is. */
export function parseReadFilter(input: string): ReadFilter {
  // Query strings can repeat a parameter, which reaches us as an array.
  if (typeof input !== 'string') throw invalidAt(0, 'the filter must be a single string', 'a string');
  const { maxLength } = READ_FILTER_LIMITS;
  if (input.length > maxLength) {
    throw invalidAt(maxLength, `the filter is longer than ${maxLength} characters`, `at most ${maxLength} characters`);
  }
  return new ReadFilterParser(input).parse();
}

/** The AND of several filters, as repeated `f` parameters mean; null when there are none. */
export function parseReadFilters(inputs: readonly string[]): ReadFilter | null {
  const filters = inputs.map((input, index) => {
    try {
      return parseReadFilter(input);
    } catch (error) {
      if (!(error instanceof ReadFilterError)) throw error;
      throw new ReadFilterError(error.message, error.position, error.expected, index);
    }
  });
  return filters.length === 0 ? null : combine('and', filters);
}

class ReadFilterParser {
  private readonly lexer: Lexer;
  private depth = 0;
  private comparisons = 0;

  constructor(input: string) {
    this.lexer = new Lexer(input);
  }

  parse(): ReadFilter {
    const filter = this.parseOr();
    const token = this.lexer.peek();
    if (token.kind === 'end') return filter;
    throw expectedAt(token.position, 'AND, OR or the end of the filter', describeToken(token));
  }

  private parseOr(): ReadFilter {
    return combine('or', this.parseList('or', () => this.parseAnd()));
  }

  private parseAnd(): ReadFilter {
    return combine('and', this.parseList('and', () => this.parsePrimary()));
  }

  private parseList(separator: Keyword, parseItem: () => ReadFilter): ReadFilter[] {
    const items = [parseItem()];
    while (isKeyword(this.lexer.peek(), separator)) {
      this.lexer.next();
      items.push(parseItem());
    }
    return items;
  }

  private parsePrimary(): ReadFilter {
    const token = this.lexer.peek();
    if (isSymbol(token, '(')) return this.parseGroup();
    if (token.kind === 'name') return this.parseComparison();
    throw expectedAt(token.position, 'a dimension name or "("', describeToken(token));
  }

  private parseGroup(): ReadFilter {
    const open = this.lexer.next();
    const { maxDepth } = READ_FILTER_LIMITS;
    if (++this.depth > maxDepth) {
      const reason = `parentheses are nested more than ${maxDepth} deep`;
      throw invalidAt(open.position, reason, `at most ${maxDepth} nested parentheses`);
    }
    const inner = this.parseOr();
    const close = this.lexer.next();
    if (!isSymbol(close, ')')) {
      const expected = `AND, OR or ")" closing the parenthesis opened at position ${open.position}`;
      throw expectedAt(close.position, expected, describeToken(close));
    }
    this.depth--;
    return inner;
  }

  private parseComparison(): ReadFilterComparison {
    const name = this.lexer.next();
    const { maxComparisons } = READ_FILTER_LIMITS;
    if (++this.comparisons > maxComparisons) {
      const reason = `the filter has more than ${maxComparisons} comparisons`;
      throw invalidAt(name.position, reason, `at most ${maxComparisons} comparisons`);
    }
    const operator = this.lexer.next();
    const rule = operatorRule(operator);
    if (rule === undefined) throw expectedAt(operator.position, OPERATOR_LIST, describeToken(operator), name.text);
    const value = readValue(this.lexer, rule, operator.text);
    return { kind: 'cmp', dimension: name.text.toLowerCase(), op: rule.op, value, position: name.position };
  }
}

function operatorRule(token: Token): OperatorRule | undefined {
  if (token.kind === 'symbol') return OPERATORS.get(token.text);
  return token.kind === 'keyword' ? OPERATORS.get(token.keyword) : undefined;
}

function isKeyword(token: Token, keyword: Keyword): boolean {
  return token.kind === 'keyword' && token.keyword === keyword;
}

/** Joins items under `kind`, flattening nested nodes of the same kind and unwrapping a single item. */
function combine(kind: 'and' | 'or', items: ReadFilter[]): ReadFilter {
  const flat = items.flatMap((item) => (item.kind === kind ? item.items : [item]));
  return flat.length === 1 && flat[0] !== undefined ? flat[0] : { kind, items: flat };
}
