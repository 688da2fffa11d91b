import { invalidAt, quote, shorten } from './errors.js';

export type Keyword = 'and' | 'or' | 'in' | 'not_in' | 'null';

/** `text` is the token as written; `other` is a single character that starts no token. */
export type Token =
  | { kind: 'name' | 'symbol' | 'other' | 'end'; text: string; position: number }
  | { kind: 'keyword'; keyword: Keyword; text: string; position: number }
  | { kind: 'string'; value: string; text: string; position: number }
  | { kind: 'number'; value: number; text: string; position: number };

const KEYWORDS: ReadonlySet<string> = new Set<Keyword>(['and', 'or', 'in', 'not_in', 'null']);
// Two-character symbols first, so that `<=` is not read as `<` followed by `=`.
const SYMBOLS = ['==', '!=', '=~', '!~', '=@', '!@', '<=', '>=', '<', '>', '(', ')', '[', ']', ','];
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPABLE = new Set(['"', "'", '\\']);
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
// A number running straight into one of these is malformed (`1.2.3`, `12abc`, `1e`), not two tokens.
const NUMBER_TAIL = /[A-Za-z0-9_.]/y;

/**
 * Reads tokens on demand rather than up front, so that the error reported is always the first one in the filter,
 * whether it is lexical (an unclosed string) or grammatical.
 */
export class Lexer {
  private position = 0;
  private lookahead: Token | undefined;

  constructor(private readonly input: string) {}

  peek(): Token {
    this.lookahead ??= this.read();
    return this.lookahead;
  }

  next(): Token {
    const token = this.peek();
    this.lookahead = undefined;
    return token;
  }

  private read(): Token {
    while (WHITESPACE.has(this.input.charAt(this.position))) this.position++;
    const position = this.position;
    const ch = this.input.charAt(position);
    if (ch === '') return { kind: 'end', text: '', position };
    if (ch === '"' || ch === "'") return this.readString(ch);
    const number = this.match(NUMBER);
    if (number !== undefined) return this.numberToken(number, position);
    const identifier = this.match(IDENTIFIER);
    if (identifier !== undefined) return identifierToken(identifier, position);
    const text = SYMBOLS.find((symbol) => this.input.startsWith(symbol, position)) ?? codePointAt(this.input, position);
    this.position += text.length;
    return { kind: SYMBOLS.includes(text) ? 'symbol' : 'other', text, position };
  }

  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.position;
    const text = pattern.exec(this.input)?.[0];
    if (text !== undefined) this.position += text.length;
    return text;
  }

  private numberToken(text: string, position: number): Token {
    NUMBER_TAIL.lastIndex = this.position;
    const value = Number(text);
    if (NUMBER_TAIL.test(this.input) || !Number.isFinite(value)) {
      throw invalidAt(position, 'not a valid finite number', 'a number');
    }
    return { kind: 'number', value, text, position };
  }

  private readString(quoteChar: string): Token {
    const position = this.position++;
    let value = '';
    for (;;) {
      const ch = this.input.charAt(this.position++);
      if (ch === '') throw invalidAt(position, 'the string is not closed', `a closing ${quoteChar}`);
      if (ch === quoteChar) return { kind: 'string', value, text: this.input.slice(position, this.position), position };
      // Only quotes and backslashes are escapes; any other backslash is literal text.
      const next = this.input.charAt(this.position);
      if (ch === '\\' && ESCAPABLE.has(next)) {
        value += next;
        this.position++;
      } else {
        value += ch;
      }
    }
  }
}

function identifierToken(text: string, position: number): Token {
  const keyword = text.toLowerCase();
  return isKeyword(keyword) ? { kind: 'keyword', keyword, text, position } : { kind: 'name', text, position };
}

function isKeyword(text: string): text is Keyword {
  return KEYWORDS.has(text);
}

// Whole code points, so that an emoji is reported as itself rather than as half a surrogate pair.
function codePointAt(input: string, position: number): string {
  return String.fromCodePoint(input.codePointAt(position) ?? 0);
}

export function isSymbol(token: Token, symbol: string): boolean {
  return token.kind === 'symbol' && token.text === symbol;
}

/** How an error message names what it found instead of what it expected. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the filter';
    case 'string':
      return `the string ${quote(token.value)}`;
    case 'number':
      return `the number ${shorten(token.text)}`;
    default:
      return quote(token.text);
  }
}
