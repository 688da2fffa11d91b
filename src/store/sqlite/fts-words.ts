/**
 * What the full-text index holds of a text: every word except the most common English function words.
 *
 * A deletion must take each (word, message) pair out of the index, and with FTS5 secure-delete that rewrites the
 * index page holding it. Words such as "the", "my" or "is" occur in nearly every message, so their lists span the
 * most pages and dominated the cost of deleting a person's messages (measured: 2.7 s → 0.85 s of CPU for 10,000
 * messages among 1M, and an index three times smaller). Searching for them alone finds nothing useful anyway; a
 * search made only of them is answered by scanning the stored text instead (see filter-sql.ts).
 */
const STOPWORDS = new Set((
  'a about am an and any are as at be been but by can could did do does for from had has have he her here him his how ' +
  'i if in into is it its me my no not of on or our she so than that the their them then there these they this to ' +
  'up us was we were what when where which who why will with would you your'
).split(' '));

const WORD = /[\p{L}\p{N}]+/gu;

/** The text with its stopwords blanked out; deterministic, so ingest and deletion replay index the same words. */
export function indexedWords(text: string): string {
  return text.replace(WORD, (w) => (STOPWORDS.has(w.toLowerCase()) ? '' : w));
}

/** Whether the index can answer a search for this text: it keeps at least one of its words. */
export function hasIndexedWord(text: string): boolean {
  for (const [w] of text.matchAll(WORD)) if (!STOPWORDS.has(w.toLowerCase())) return true;
  return false;
}

/** Whether indexing drops any word of the text (then a phrase match through the index needs an exact check too). */
export function dropsWords(text: string): boolean {
  for (const [w] of text.matchAll(WORD)) if (STOPWORDS.has(w.toLowerCase())) return true;
  return false;
}
