import { caseFold } from './case-fold.js';

/**
 * A wildcard term (`comm*s`: literal pieces between `*`) tested against a whole string, ignoring case as a `/iu`
 * regular expression would. There is no backtracking: the first piece must start the string, the last must end it,
 * and each piece between is taken at its leftmost place after the previous one (a later place never leaves more room
 * for the rest). So a test costs one `indexOf` per piece, at worst O(text × pattern), whatever the number of stars.
 */
export type WildcardMatcher = (value: string) => boolean;

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;
/** Position `i` falls between the two halves of a surrogate pair: a match may not start or end there. */
const splitsPair = (s: string, i: number) => i > 0 && i < s.length && isHigh(s.charCodeAt(i - 1)) && isLow(s.charCodeAt(i));

/** The leftmost place at or after `from` where `piece` occurs as whole characters, or -1. */
function find(text: string, piece: string, from: number): number {
  for (let at = text.indexOf(piece, from); at !== -1; at = text.indexOf(piece, at + 1)) {
    if (!splitsPair(text, at) && !splitsPair(text, at + piece.length)) return at;
  }
  return -1;
}

export function wildcardMatcher(segments: readonly string[]): WildcardMatcher {
  const pieces = segments.map(caseFold);
  const first = pieces[0] ?? '';
  if (pieces.length < 2) return (value) => caseFold(value) === first;
  const last = pieces[pieces.length - 1]!;
  // Runs of stars leave empty pieces, which match anywhere.
  const middle = pieces.slice(1, -1).filter((p) => p !== '');
  const minLength = first.length + last.length + middle.reduce((n, p) => n + p.length, 0);
  return (value) => {
    const text = caseFold(value);
    if (text.length < minLength || !text.startsWith(first) || splitsPair(text, first.length)) return false;
    let at = first.length;
    for (const piece of middle) {
      const found = find(text, piece, at);
      if (found === -1) return false;
      at = found + piece.length;
    }
    const lastAt = text.length - last.length;
    return lastAt >= at && text.endsWith(last) && !splitsPair(text, lastAt);
  };
}
