import { expectedAt, type FilterSyntaxError } from './errors.js';

// Only ASCII whitespace separates tokens; any other space character is ordinary term text.
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

export function isWhitespace(ch: string): boolean {
  return WHITESPACE.has(ch);
}

/** A read position in the filter; the parser is scannerless because what a term may contain depends on context. */
export class Cursor {
  position = 0;

  constructor(readonly input: string) {}

  get atEnd(): boolean {
    return this.position >= this.input.length;
  }

  /** The UTF-16 unit `offset` ahead, or '' past the end. */
  peek(offset = 0): string {
    return this.input.charAt(this.position + offset);
  }

  startsWith(text: string): boolean {
    return this.input.startsWith(text, this.position);
  }

  advance(count = 1): void {
    this.position += count;
  }

  skipWhitespace(): void {
    while (isWhitespace(this.peek())) this.advance();
  }

  /** Consumes and returns the longest run of characters satisfying `accept`. */
  readWhile(accept: (ch: string) => boolean): string {
    const start = this.position;
    while (!this.atEnd && accept(this.peek())) this.advance();
    return this.input.slice(start, this.position);
  }

  expected(what: string, after?: string): FilterSyntaxError {
    return expectedAt(this.input, this.position, what, after);
  }
}
