/**
 * Case folding with exactly the equivalence of a JavaScript `/iu` regular expression (Unicode simple case folding),
 * so literal text can be compared with `startsWith` and `indexOf` instead of a case-insensitive regular expression:
 * each character maps to the lowest code point the regular expression engine calls equal to it.
 */

const ASCII = /^[\x00-\x7f]*$/;
const CASED = /[\p{Changes_When_Casemapped}\p{Changes_When_Casefolded}]/u;
const CASED_ALL = new RegExp(CASED.source, 'gu');
// Unicode has no cased character beyond plane 1.
const LAST_CASED = 0x1ffff;

let casedCharacters: string | undefined;
// Only cased characters (about 3,000) are ever stored.
const representatives = new Map<string, string>();

/** Every cased character in code point order, from the ASCII letters on (built once, in a few milliseconds). */
function cased(): string {
  if (casedCharacters === undefined) {
    const found: string[] = [];
    for (let from = 0x41; from <= LAST_CASED; from += 0x1000) {
      const codePoints: number[] = [];
      for (let cp = from; cp < from + 0x1000 && cp <= LAST_CASED; cp++) if (cp < 0xd800 || cp > 0xdfff) codePoints.push(cp);
      found.push(...(String.fromCodePoint(...codePoints).match(CASED_ALL) ?? []));
    }
    casedCharacters = found.join('');
  }
  return casedCharacters;
}

/** The first (lowest) cased character the engine matches case-insensitively with `ch`: the class's representative. */
function foldChar(ch: string): string {
  if (!CASED.test(ch)) return ch;
  let rep = representatives.get(ch);
  if (rep === undefined) {
    rep = new RegExp(`\\u{${ch.codePointAt(0)!.toString(16)}}`, 'iu').exec(cased())?.[0] ?? ch;
    representatives.set(ch, rep);
  }
  return rep;
}

/** `a` and `b` are equal ignoring case exactly when `caseFold(a) === caseFold(b)`. Linear in the text. */
export function caseFold(text: string): string {
  // Within ASCII the lowest code point of a class is the upper-case letter (the Kelvin sign and long s come later).
  if (ASCII.test(text)) return text.toUpperCase();
  let out = '';
  for (const ch of text) out += foldChar(ch);
  return out;
}
