import { withinDistance } from './edit-distance.js';
import type { WildcardMatcher } from './wildcard.js';

/**
 * Word-level matching for wildcard (`comm*s`) and approximate (`Watson~2`) terms. Engines that cannot index these
 * evaluate them with these functions (SQLite registers them as SQL functions), so every engine answers alike. Each
 * runs in time linear in the text (times the term's length), whatever the term.
 */

const WORD = /[\p{L}\p{N}_]+/gu;

export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** Some word of `text` matches the wildcard (wildcard.ts). */
export function someWordMatches(text: string, matches: WildcardMatcher): boolean {
  return wordsOf(text).some(matches);
}

/** Whole `value` within `maxEdits` single-character edits of `term`, ignoring case. */
export function withinEdits(value: string, term: string, maxEdits: number): boolean {
  const lowerTerm = term.toLowerCase();
  // Lower-casing never shortens a string, so a value this much longer than the term is never lower-cased.
  if (value.length > lowerTerm.length + maxEdits) return false;
  return withinDistance(value.toLowerCase(), lowerTerm, maxEdits);
}

/** Some word of `text` is within `maxEdits` edits of the term (a multi-word term: of the whole text). */
export function someWordWithin(text: string, term: string, maxEdits: number): boolean {
  const termWords = wordsOf(term);
  if (termWords.length !== 1) return withinEdits(text, term, maxEdits);
  return wordsOf(text).some((w) => withinEdits(w, termWords[0]!, maxEdits));
}
