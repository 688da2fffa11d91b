// Finds every entity value/synonym occurring in a text, case-insensitively and on word boundaries,
// in one pass over the text whatever the number of synonyms.
import type { RuntimeEntity } from './runtime-entity.js';

interface TrieNode {
  readonly next: Map<number, TrieNode>;
  hits: { entity: string; value: string }[] | undefined;
}

const SPACE = 32;
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
const ASCII_WORD = Uint8Array.from({ length: 128 }, (_, c) => (WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 0));

export class SynonymTrie {
  private readonly root: TrieNode = { next: new Map(), hits: undefined };

  add(entity: string, value: string, phrase: string): void {
    // Lower-cased like the input will be, so that both sides agree even on length-changing letters.
    const key = lowerSameLength(phrase.trim().replace(/\s+/gu, ' '));
    if (key === '') return;
    let node = this.root;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      let child = node.next.get(c);
      if (child === undefined) {
        child = { next: new Map(), hits: undefined };
        node.next.set(c, child);
      }
      node = child;
    }
    node.hits ??= [];
    if (!node.hits.some((h) => h.entity === entity && h.value === value)) node.hits.push({ entity, value });
  }

  /** All matches, overlapping ones included; the caller decides which survive. */
  findAll(text: string, out: RuntimeEntity[]): void {
    if (this.root.next.size === 0) return;
    const lower = lowerSameLength(text);
    for (let start = 0; start < text.length; start++) {
      if (isWordAt(text, start) && start > 0 && isWordAt(text, start - 1)) continue;
      this.walk(text, lower, start, out);
    }
  }

  private walk(text: string, lower: string, start: number, out: RuntimeEntity[]): void {
    let node: TrieNode | undefined = this.root;
    let at = start;
    while (at < lower.length) {
      const c = lower.charCodeAt(at);
      // Any whitespace run in the input matches the single space the phrases were normalised to.
      if (isSpace(c)) {
        node = node.next.get(SPACE);
        while (at < lower.length && isSpace(lower.charCodeAt(at))) at++;
      } else {
        node = node.next.get(c);
        at++;
      }
      if (node === undefined) return;
      if (node.hits !== undefined && !(isWordAt(text, at - 1) && at < text.length && isWordAt(text, at))) {
        for (const hit of node.hits) out.push({ entity: hit.entity, location: [start, at], value: hit.value, confidence: 1 });
      }
    }
  }
}

// Locations must index the original text, so lower-casing may not change its length (it does for 'İ').
function lowerSameLength(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = '';
  for (const unit of text.split('')) {
    const l = unit.toLowerCase();
    out += l.length === 1 ? l : unit;
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === SPACE || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x3000;
}

function isWordAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return ASCII_WORD[c] === 1;
  // Both halves of a surrogate pair stand for the same astral character.
  const codePoint = c >= 0xdc00 && c <= 0xdfff && i > 0 ? text.codePointAt(i - 1)! : text.codePointAt(i)!;
  return WORD_CHAR.test(String.fromCodePoint(codePoint));
}
