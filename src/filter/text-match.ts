import { editDistance } from './edit-distance.js';

/**
 * Word-level matching for wildcard (`comm*s`) and approximate (`Watson~2`) terms. Engines that cannot index these
 * evaluate them with these functions (SQLite registers them as SQL functions), so every engine answers alike.
 */

const WORD = /[\p{L}\p{N}_]+/gu;

export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** A wildcard term's literal pieces → an anchored, case-insensitive regular expression (pieces are escaped). */
export function wildcardRegex(segments: readonly string[]): RegExp {
  const body = segments.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`, 'isu');
}

/** Some word of `text` matches the wildcard. */
export function someWordMatches(text: string, pattern: RegExp): boolean {
  return wordsOf(text).some((w) => pattern.test(w));
}

/** Whole `value` within `maxEdits` single-character edits of `term`, ignoring case. */
export function withinEdits(value: string, term: string, maxEdits: number): boolean {
  const a = value.toLowerCase();
  const b = term.toLowerCase();
  return Math.abs(a.length - b.length) <= maxEdits && editDistance(a, b) <= maxEdits;
}

/** Some word of `text` is within `maxEdits` edits of the term (a multi-word term: of the whole text). */
export function someWordWithin(text: string, term: string, maxEdits: number): boolean {
  const termWords = wordsOf(term);
  if (termWords.length !== 1) return withinEdits(text, term, maxEdits);
  return wordsOf(text).some((w) => withinEdits(w, termWords[0]!, maxEdits));
}
