// Text analysis shared by the intent classifier: words, a light English stemmer, character n-grams.

// Marks are word characters so that Devanagari, Thai, etc. words are not cut at every vowel sign.
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
// "don't" and "what’s" become one token; otherwise the apostrophe splits off a meaningless "t"/"s".
const INNER_APOSTROPHE = /(?<=[\p{L}\p{N}])['’](?=[\p{L}])/gu;
// The stemmer only touches plain ASCII words: its rules are English ones and would mangle other scripts.
const ASCII_WORD = /^[a-z]+$/;

/** Lower-cased word tokens of `text`, in order. */
export function words(text: string): string[] {
  const lowered = text.toLowerCase();
  const joined = lowered.includes("'") || lowered.includes('’') ? lowered.replace(INNER_APOSTROPHE, '') : lowered;
  return joined.match(WORD) ?? [];
}

/**
 * A deliberately small suffix stripper: enough to make "accounts"/"account", "transferring"/"transfer",
 * "closed"/"close" meet, and deterministic. It is not Porter; over-stemming is harmless because the
 * classifier compares stems with stems.
 */
export function stem(word: string): string {
  if (word.length <= 3 || !ASCII_WORD.test(word)) return word;
  let w = stripPlural(word);
  w = stripVerbal(w);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

function stripPlural(w: string): string {
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (/(?:ss|us|is)$/.test(w)) return w;
  if (/(?:sh|ch|x|z)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s')) return w.slice(0, -1);
  return w;
}

function stripVerbal(w: string): string {
  if (w.endsWith('ied') && w.length > 4) return `${w.slice(0, -3)}y`;
  for (const suffix of ['ing', 'ed'] as const) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) return undouble(w.slice(0, -suffix.length));
  }
  if (w.endsWith('ly') && w.length >= 6) return w.slice(0, -2);
  return w;
}

// "transferr" → "transfer", "stopp" → "stop"; "ll"/"ss"/"zz" are usually part of the stem ("call", "pass").
function undouble(w: string): string {
  const last = w.charCodeAt(w.length - 1);
  if (last === w.charCodeAt(w.length - 2) && !'lsz'.includes(w[w.length - 1]!)) return w.slice(0, -1);
  return w;
}

/** Appends the character trigrams of `word`, padded with spaces so that word starts and ends count. */
export function pushTrigrams(word: string, out: string[]): void {
  const padded = ` ${word} `;
  for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
}
