import { BadRequest } from './errors.js';
import type { Subject } from './subjects.js';

/** Longest identifier, in Unicode code points after normalisation. */
export const MAX_IDENTIFIER_LENGTH = 256;

// C0 and C1 controls, DEL, and the line and paragraph separators: none is typed as part of a name, and each breaks
// the log lines, CSV cells and terminals an identifier is later read in.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
// An unpaired surrogate (text that is not Unicode), or U+FFFD, which a decoder puts where bytes were not UTF-8.
const NOT_TEXT = /[\p{Cs}\uFFFD]/u;
const PADDED = /^\s|\s$/u;

/**
 * The one rule for every value that names a person (customer IDs, user IDs, Coveo usernames, visitor IDs, the values
 * of data-subject requests), on every surface: the value is normalised to Unicode NFC, so that é typed precomposed or
 * as e + combining accent is one identifier, and anything that cannot be stored exactly as a later request will name
 * it is refused rather than altered: text that was not valid UTF-8, control characters, leading or trailing
 * whitespace (invisible, so a request could never be sure to repeat it), the empty string, and more than
 * MAX_IDENTIFIER_LENGTH code points. Nothing else is changed: case, look-alike letters from other scripts and inner
 * spaces are kept, so `Alice`, `alice` and `аlice` (Cyrillic а) are three people.
 *
 * `name` is how the request named the value (`customer_id`, `userId` …); the value itself is never echoed, since
 * error messages may be logged.
 */
export function identifier(value: string, name: string): string {
  if (NOT_TEXT.test(value)) throw new BadRequest(`${name} is not valid UTF-8 text (it holds an unpaired surrogate or U+FFFD)`);
  const normalised = value.normalize('NFC');
  if (normalised === '') throw new BadRequest(`${name} must not be empty`);
  if (CONTROL.test(normalised)) throw new BadRequest(`${name} must not contain control characters (U+0000–U+001F, U+007F–U+009F, U+2028, U+2029)`);
  if (PADDED.test(normalised)) throw new BadRequest(`${name} must not begin or end with whitespace`);
  if (codePoints(normalised) > MAX_IDENTIFIER_LENGTH) throw new BadRequest(`${name} must be at most ${MAX_IDENTIFIER_LENGTH} characters`);
  return normalised;
}

/** A data-subject request's subject with its value under the identifier rule. */
export function subjectOf(subject: Subject): Subject {
  return { kind: subject.kind, value: identifier(subject.value, subject.kind) };
}

function codePoints(s: string): number {
  // Only strings with surrogate pairs count fewer code points than UTF-16 units.
  if (s.length <= MAX_IDENTIFIER_LENGTH) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}
