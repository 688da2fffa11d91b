import { isWhitespace, type Cursor } from './cursor.js';
import { expectedAt, invalidAt } from './errors.js';

/** One term as written, before it is typed against its field. */
export interface RawTerm {
  phrase: boolean;
  position: number;
  /** Literal text between unescaped `*`; a single element when the term has no wildcard. */
  segments: string[];
  wildcardPosition?: number;
  fuzzy?: 1 | 2;
  fuzzyPosition?: number;
}

// Characters that end a bare term unless escaped.
const TERM_ENDS = new Set([',', '|', ')', ']']);
// Characters that would silently change meaning mid-term (a group or phrase the user meant to open).
const MUST_ESCAPE = new Set(['(', '[', '"']);

function isTermEnd(ch: string): boolean {
  return ch === '' || TERM_ENDS.has(ch);
}

/** Reads a quoted phrase or a bare term at the cursor, with any `~1`/`~2` suffix. */
export function readTerm(cursor: Cursor): RawTerm {
  const term = cursor.peek() === '"' ? readPhrase(cursor) : readBareTerm(cursor);
  if (cursor.peek() === '~') readFuzzy(cursor, term);
  if (term.segments.length > 1 || term.segments[0] !== '') return term;
  if (term.phrase) throw invalidAt(term.position, 'a quoted phrase must not be empty', 'a non-empty phrase');
  throw expectedAt(cursor.input, term.position, 'a term (a word, a "quoted phrase" or a (group))');
}

function readPhrase(cursor: Cursor): RawTerm {
  const position = cursor.position;
  cursor.advance();
  let text = '';
  for (;;) {
    const ch = cursor.peek();
    if (ch === '') throw invalidAt(position, `the phrase opened at position ${position} is not closed`, 'a closing "');
    cursor.advance();
    if (ch === '"') return { phrase: true, position, segments: [text] };
    // Inside a phrase only \" and \\ are escapes; any other backslash is literal text.
    const next = cursor.peek();
    if (ch === '\\' && (next === '"' || next === '\\')) {
      text += next;
      cursor.advance();
    } else {
      text += ch;
    }
  }
}

function readBareTerm(cursor: Cursor): RawTerm {
  const term: RawTerm = { phrase: false, position: cursor.position, segments: [''] };
  // Whitespace is kept only when more term text follows, so a term is trimmed but may contain spaces.
  let pendingWhitespace = '';
  while (!isTermEnd(cursor.peek()) && cursor.peek() !== '~') {
    const ch = cursor.peek();
    if (isWhitespace(ch)) {
      pendingWhitespace += ch;
      cursor.advance();
      continue;
    }
    if (MUST_ESCAPE.has(ch)) {
      throw invalidAt(cursor.position, `${ch} inside a term must be escaped as \\${ch} or quoted`, 'a term character');
    }
    appendText(term, pendingWhitespace);
    pendingWhitespace = '';
    if (ch === '*') startWildcardSegment(term, cursor.position);
    else appendText(term, ch === '\\' ? readEscaped(cursor) : ch);
    cursor.advance();
  }
  return term;
}

/** Returns the character a backslash escapes, leaving the cursor on it. */
function readEscaped(cursor: Cursor): string {
  cursor.advance();
  if (cursor.atEnd) throw cursor.expected('a character to escape', '\\');
  return cursor.peek();
}

function appendText(term: RawTerm, text: string): void {
  const last = term.segments.length - 1;
  term.segments[last] += text;
}

function startWildcardSegment(term: RawTerm, position: number): void {
  term.wildcardPosition ??= position;
  term.segments.push('');
}

function readFuzzy(cursor: Cursor, term: RawTerm): void {
  term.fuzzyPosition = cursor.position;
  cursor.advance();
  const distance = cursor.peek();
  if (distance !== '1' && distance !== '2') throw cursor.expected('1 or 2 (the allowed edits)', '~');
  term.fuzzy = distance === '1' ? 1 : 2;
  cursor.advance();
}
