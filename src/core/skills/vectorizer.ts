// TF-IDF over three feature spaces: stemmed unigrams, stemmed bigrams and raw-word character trigrams.
import { pushTrigrams, stem, words } from './tokenize.js';

const UNIGRAM = 0;
const BIGRAM = 1;
const TRIGRAM = 2;
type Space = typeof UNIGRAM | typeof BIGRAM | typeof TRIGRAM;

// A word yields ~6 trigrams but one unigram: without damping, trigrams would outvote whole words.
// Bigrams add word order ("transfer to savings" vs "savings to transfer") without dominating.
const SPACE_WEIGHT: Record<Space, number> = { [UNIGRAM]: 1, [BIGRAM]: 0.7, [TRIGRAM]: 0.3 };

/** A unit-length sparse vector. Terms unseen in training count in the norm but have no id. */
export interface SparseVector {
  readonly ids: number[];
  readonly weights: number[];
}

export interface Vectorizer {
  readonly featureCount: number;
  /** The returned vector is overwritten by the next call. */
  vectorize(text: string): SparseVector;
}

type Visit = (space: Space, term: string) => void;

function forEachTerm(text: string, stemming: boolean, visit: Visit, grams: string[]): void {
  let previous: string | undefined;
  for (const word of words(text)) {
    const root = stemming ? stem(word) : word;
    visit(UNIGRAM, root);
    if (previous !== undefined) visit(BIGRAM, `${previous} ${root}`);
    previous = root;
    grams.length = 0;
    pushTrigrams(word, grams);
    for (const gram of grams) visit(TRIGRAM, gram);
  }
}

/** Learns the vocabulary and IDF from `documents` and returns their vectors with the vectorizer. */
export function fitVectorizer(documents: readonly string[], stemming: boolean): { vectorizer: Vectorizer; vectors: SparseVector[] } {
  const vocab: Map<string, number>[] = [new Map(), new Map(), new Map()];
  const spaceOf: Space[] = [];
  const documentFrequency: number[] = [];
  const grams: string[] = [];

  const counts = documents.map((text) => {
    const tf = new Map<number, number>();
    forEachTerm(text, stemming, (space, term) => {
      let id = vocab[space]!.get(term);
      if (id === undefined) {
        id = spaceOf.length;
        vocab[space]!.set(term, id);
        spaceOf.push(space);
        documentFrequency.push(0);
      }
      tf.set(id, (tf.get(id) ?? 0) + 1);
    }, grams);
    for (const id of tf.keys()) documentFrequency[id]!++;
    return tf;
  });

  // Smoothed IDF; an unseen term gets the IDF of df = 0, the rarest possible, so novel words dilute similarity.
  const idfOf = (df: number) => Math.log((documents.length + 1) / (df + 1)) + 1;
  const termWeight = documentFrequency.map((df, id) => idfOf(df) * SPACE_WEIGHT[spaceOf[id]!]);
  const unseenWeight = [0, 1, 2].map((space) => idfOf(0) * SPACE_WEIGHT[space as Space]);

  const toVector = (tf: Map<number, number>, unseenSquares: number): SparseVector => {
    const ids: number[] = [];
    const weights: number[] = [];
    let squares = unseenSquares;
    for (const [id, count] of tf) {
      const w = (1 + Math.log(count)) * termWeight[id]!;
      ids.push(id);
      weights.push(w);
      squares += w * w;
    }
    const norm = Math.sqrt(squares);
    if (norm > 0) for (let i = 0; i < weights.length; i++) weights[i]! /= norm;
    return { ids, weights };
  };

  const vectorizer: Vectorizer = {
    featureCount: spaceOf.length,
    vectorize: queryVectorizer(documents, vocab, termWeight, unseenWeight.map((w) => w ** 2), stemming),
  };
  return { vectorizer, vectors: counts.map((tf) => toVector(tf, 0)) };
}

/** What a word seen in training contributes to a query, resolved once when the vectorizer is fitted. */
interface KnownWord {
  readonly unigram: number;
  /** Position of the root among unigram features: bigrams are looked up by the pair of positions. */
  readonly rank: number;
  readonly trigrams: Int32Array;
}

/**
 * Vectorizes queries on the message hot path. It visits terms in the same order as `forEachTerm` and sums in the
 * same order, so vectors are bit-identical to the fitting path; but a word seen in training costs one lookup instead
 * of stemming, building its bigram and trigram strings and hashing each, and term counts live in a reused dense
 * array instead of a fresh Map.
 */
function queryVectorizer(
  documents: readonly string[], vocab: Map<string, number>[], termWeight: number[], unseenSquare: number[], stemming: boolean,
): (text: string) => SparseVector {
  const featureCount = termWeight.length;
  const rankOf = new Int32Array(featureCount).fill(-1);
  let unigramCount = 0;
  for (const id of vocab[UNIGRAM]!.values()) rankOf[id] = unigramCount++;
  const bigrams = new Map<number, number>();
  for (const [term, id] of vocab[BIGRAM]!) {
    const space = term.indexOf(' ');
    const first = vocab[UNIGRAM]!.get(term.slice(0, space))!;
    const second = vocab[UNIGRAM]!.get(term.slice(space + 1))!;
    bigrams.set(rankOf[first]! * unigramCount + rankOf[second]!, id);
  }
  const grams: string[] = [];
  const known = new Map<string, KnownWord>();
  for (const text of documents) {
    for (const word of words(text)) {
      if (known.has(word)) continue;
      const unigram = vocab[UNIGRAM]!.get(stemming ? stem(word) : word)!;
      grams.length = 0;
      pushTrigrams(word, grams);
      known.set(word, { unigram, rank: rankOf[unigram]!, trigrams: Int32Array.from(grams, (g) => vocab[TRIGRAM]!.get(g)!) });
    }
  }

  const counts = new Int32Array(featureCount);
  const touched: number[] = [];
  const ids: number[] = [];
  const weights: number[] = [];
  const count = (id: number) => {
    if (counts[id] === 0) touched.push(id);
    counts[id]!++;
  };
  // The returned vector's arrays are reused by the next call: callers consume it before vectorizing again.
  return (text) => {
    let unseenSquares = 0;
    let previous = -2; // rank of the previous word's root; -1 when unseen in training, -2 before the first word
    for (const word of words(text)) {
      const k = known.get(word);
      let rank = -1;
      if (k) {
        count(k.unigram);
        rank = k.rank;
      } else {
        const id = vocab[UNIGRAM]!.get(stemming ? stem(word) : word);
        if (id === undefined) unseenSquares += unseenSquare[UNIGRAM]!;
        else {
          count(id);
          rank = rankOf[id]!;
        }
      }
      if (previous !== -2) {
        const id = previous >= 0 && rank >= 0 ? bigrams.get(previous * unigramCount + rank) : undefined;
        if (id === undefined) unseenSquares += unseenSquare[BIGRAM]!;
        else count(id);
      }
      previous = rank;
      if (k) {
        for (let i = 0; i < k.trigrams.length; i++) count(k.trigrams[i]!);
      } else {
        grams.length = 0;
        pushTrigrams(word, grams);
        for (const gram of grams) {
          const id = vocab[TRIGRAM]!.get(gram);
          if (id === undefined) unseenSquares += unseenSquare[TRIGRAM]!;
          else count(id);
        }
      }
    }

    ids.length = 0;
    weights.length = 0;
    let squares = unseenSquares;
    for (const id of touched) {
      const w = (1 + Math.log(counts[id]!)) * termWeight[id]!;
      counts[id] = 0;
      ids.push(id);
      weights.push(w);
      squares += w * w;
    }
    touched.length = 0;
    const norm = Math.sqrt(squares);
    if (norm > 0) for (let i = 0; i < weights.length; i++) weights[i]! /= norm;
    return { ids, weights };
  };
}
