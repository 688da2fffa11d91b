// Grammar (`,` is AND and binds tighter than `|` OR, as in ordinary boolean notation):
//   filter     := or EOF
//   or         := and ( '|' and )*
//   and        := primary ( ',' primary )*
//   primary    := '(' or ')' | '[' or ']' | comparison
//   comparison := location operator termExpr
//   location   := path | collectionPath ':' member
//   termExpr   := '(' termOr ')' | '[' termOr ']' | term
//   termOr     := termAnd ( '|' termAnd )*          termAnd := termExpr ( ',' termExpr )*
//   term       := ( '"' phrase '"' | bare ) ( '~1' | '~2' )?
// A bare term runs to an unescaped , | ) ] or the end; `\` escapes any character, `*` is a wildcard.
// ASCII whitespace is skipped around every token; inside a bare term it is kept (the term is trimmed).
import type { ApiSurface, Comparison, FieldRef, FilterExpr, Op } from './ast.js';
import { Cursor } from './cursor.js';
import { expectedAt, FilterSyntaxError, invalidAt } from './errors.js';
import { collectionMembers, isKnownField, resolveField, suggestFields } from './fields.js';
import { readTerm } from './term.js';
import { checkOperator, isNegated, OPERATORS, typeTerm } from './typing.js';

/** Bounds that keep the cost of one bad request small. */
export const FILTER_LIMITS = { maxLength: 4096, maxDepth: 32, maxComparisons: 200 } as const;

const CLOSERS: ReadonlyMap<string, string> = new Map([
  ['(', ')'],
  ['[', ']'],
]);
const OPERATOR_LIST = `an operator (${OPERATORS.map(([symbol]) => symbol).join(', ')})`;
// Longest first, so that `::!` is not read as `::` followed by a term starting with `!`.
const OPERATORS_BY_LENGTH = [...OPERATORS].sort(([a], [b]) => b.length - a.length);
const SUGGESTION_COUNT = 5;

/** Parses a Watson logs `filter` parameter; throws only FilterSyntaxError. */
export function parseFilter(input: string, surface: ApiSurface): FilterExpr {
  // Query strings can repeat a parameter, which reaches us as an array.
  if (typeof input !== 'string') throw invalidAt(0, 'the filter must be a single string', 'a string');
  if (input.length > FILTER_LIMITS.maxLength) {
    const reason = `the filter is longer than ${FILTER_LIMITS.maxLength} characters`;
    throw invalidAt(FILTER_LIMITS.maxLength, reason, `at most ${FILTER_LIMITS.maxLength} characters`);
  }
  return new FilterParser(input, surface).parse();
}

class FilterParser {
  private readonly cursor: Cursor;
  private depth = 0;
  private comparisons = 0;

  constructor(
    input: string,
    private readonly surface: ApiSurface,
  ) {
    this.cursor = new Cursor(input);
  }

  parse(): FilterExpr {
    const expr = this.parseOr();
    this.cursor.skipWhitespace();
    if (!this.cursor.atEnd) throw this.cursor.expected('"," (and), "|" (or) or the end of the filter');
    return expr;
  }

  private parseOr(): FilterExpr {
    return combine('or', this.parseList('|', () => this.parseAnd()));
  }

  private parseAnd(): FilterExpr {
    return combine('and', this.parseList(',', () => this.parsePrimary()));
  }

  private parsePrimary(): FilterExpr {
    this.cursor.skipWhitespace();
    return this.atGroup() ? this.parseGroup(() => this.parseOr()) : this.parseComparison();
  }

  private parseComparison(): FilterExpr {
    const position = this.cursor.position;
    const field = this.parseLocation();
    this.cursor.skipWhitespace();
    const op = this.parseOperator(field);
    return this.parseTermExpr(field, op, position);
  }

  private parseLocation(): FieldRef {
    const position = this.cursor.position;
    const path = this.cursor.readWhile(isPathChar);
    if (path === '') throw this.cursor.expected('a field name, "(" or "["');
    if (!isKnownField(path)) throw this.unknownField(`Unknown field "${path}" at position ${position}`, path, position);
    const members = collectionMembers(path);
    const name = members === undefined ? path : `${path}:${this.parseMember(path, members)}`;
    const field = resolveField(name, this.surface);
    if (field === undefined) {
      const problem = `Field "${path}" at position ${position} is not filterable on ${this.surface} logs`;
      throw this.unknownField(problem, path, position);
    }
    return field;
  }

  private parseMember(path: string, members: readonly string[]): string {
    const expected = `a member (${members.map((member) => `:${member}`).join(', ')})`;
    if (this.cursor.peek() !== ':') throw this.cursor.expected(expected, path);
    const position = this.cursor.position;
    this.cursor.advance();
    const member = this.cursor.readWhile(isPathChar);
    if (!members.includes(member)) throw expectedAt(this.cursor.input, position, expected, path);
    return member;
  }

  private parseOperator(field: FieldRef): Op {
    const position = this.cursor.position;
    const match = OPERATORS_BY_LENGTH.find(([symbol]) => this.cursor.startsWith(symbol));
    if (match === undefined) throw this.cursor.expected(OPERATOR_LIST, field.name);
    const [symbol, op] = match;
    checkOperator(field, op, position);
    this.cursor.advance(symbol.length);
    return op;
  }

  /** A term or a term group; a group is desugared into and/or of comparisons on the same field. */
  private parseTermExpr(field: FieldRef, op: Op, position: number): FilterExpr {
    this.cursor.skipWhitespace();
    if (!this.atGroup()) return this.comparison(field, op, position);
    // `::!(a|b)` means "neither a nor b": De Morgan turns the group's or into an and of negated comparisons.
    const [orKind, andKind] = isNegated(op) ? (['and', 'or'] as const) : (['or', 'and'] as const);
    return this.parseGroup(() => {
      const alternatives = this.parseList('|', () => {
        const conjuncts = this.parseList(',', () => this.parseTermExpr(field, op, position));
        return combine(andKind, conjuncts);
      });
      return combine(orKind, alternatives);
    });
  }

  private comparison(field: FieldRef, op: Op, position: number): Comparison {
    const term = readTerm(this.cursor);
    if (++this.comparisons > FILTER_LIMITS.maxComparisons) {
      const reason = `the filter has more than ${FILTER_LIMITS.maxComparisons} comparisons`;
      throw invalidAt(term.position, reason, `at most ${FILTER_LIMITS.maxComparisons} comparisons`);
    }
    return { kind: 'cmp', field, op, value: typeTerm(field, term), position };
  }

  private parseList(separator: string, parseItem: () => FilterExpr): FilterExpr[] {
    const items = [parseItem()];
    for (;;) {
      this.cursor.skipWhitespace();
      if (this.cursor.peek() !== separator) return items;
      this.cursor.advance();
      items.push(parseItem());
    }
  }

  private atGroup(): boolean {
    return CLOSERS.has(this.cursor.peek());
  }

  private parseGroup(parseInner: () => FilterExpr): FilterExpr {
    const position = this.cursor.position;
    const closer = CLOSERS.get(this.cursor.peek()) ?? ')';
    if (++this.depth > FILTER_LIMITS.maxDepth) {
      const reason = `groups are nested more than ${FILTER_LIMITS.maxDepth} deep`;
      throw invalidAt(position, reason, `at most ${FILTER_LIMITS.maxDepth} nested groups`);
    }
    this.cursor.advance();
    const inner = parseInner();
    this.cursor.skipWhitespace();
    if (this.cursor.peek() !== closer) {
      throw this.cursor.expected(`"${closer}" closing the group opened at position ${position}`);
    }
    this.cursor.advance();
    this.depth--;
    return inner;
  }

  private unknownField(problem: string, path: string, position: number): FilterSyntaxError {
    const suggestions = suggestFields(path, this.surface, SUGGESTION_COUNT).join(', ');
    return new FilterSyntaxError(
      `${problem}; filterable fields include ${suggestions}, …`,
      position,
      `a field filterable on ${this.surface} logs`,
    );
  }
}

const PATH_CHAR = /^[A-Za-z0-9_.]$/;

function isPathChar(ch: string): boolean {
  return PATH_CHAR.test(ch);
}

/** Joins items under `kind`, flattening nested nodes of the same kind and unwrapping a single item. */
function combine(kind: 'and' | 'or', items: FilterExpr[]): FilterExpr {
  const flat = items.flatMap((item) => (item.kind === kind ? item.items : [item]));
  return flat.length === 1 && flat[0] !== undefined ? flat[0] : { kind, items: flat };
}
