import type { ReadFilterValue } from './ast.js';
import { expectedAt } from './errors.js';
import { describeToken, isSymbol, type Lexer, type Token } from './lexer.js';
import type { OperatorRule, ValueKind } from './operators.js';

/** Reads the value after the operator written as `symbol`, rejecting kinds of value the operator cannot compare. */
export function readValue(lexer: Lexer, rule: OperatorRule, symbol: string): ReadFilterValue {
  const token = lexer.peek();
  const kind = valueKindOf(token);
  if (kind === undefined || !rule.accepts.includes(kind)) {
    throw expectedAt(token.position, rule.expected, describeToken(token), symbol);
  }
  if (kind === 'list') return readList(lexer);
  lexer.next();
  return token.kind === 'string' || token.kind === 'number' ? token.value : null;
}

function valueKindOf(token: Token): ValueKind | undefined {
  if (token.kind === 'string' || token.kind === 'number') return token.kind;
  if (token.kind === 'keyword' && token.keyword === 'null') return 'null';
  return isSymbol(token, '[') ? 'list' : undefined;
}

function readList(lexer: Lexer): (string | number)[] {
  const open = lexer.next();
  const closer = `"]" closing the list opened at position ${open.position}`;
  const items: (string | number)[] = [];
  if (isSymbol(lexer.peek(), ']')) {
    lexer.next();
    return items;
  }
  for (;;) {
    const item = lexer.next();
    if (item.kind !== 'string' && item.kind !== 'number') {
      const expected = items.length === 0 ? `a string, a number or ${closer}` : 'a string or a number';
      throw expectedAt(item.position, expected, describeToken(item));
    }
    items.push(item.value);
    const separator = lexer.next();
    if (isSymbol(separator, ']')) return items;
    if (!isSymbol(separator, ',')) throw expectedAt(separator.position, `"," or ${closer}`, describeToken(separator));
  }
}
