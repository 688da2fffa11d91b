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

  const queryTf = new Map<number, number>();
  const vectorizer: Vectorizer = {
    featureCount: spaceOf.length,
    vectorize(text) {
      queryTf.clear();
      let unseenSquares = 0;
      forEachTerm(text, stemming, (space, term) => {
        const id = vocab[space]!.get(term);
        if (id === undefined) unseenSquares += unseenWeight[space]! ** 2;
        else queryTf.set(id, (queryTf.get(id) ?? 0) + 1);
      }, grams);
      return toVector(queryTf, unseenSquares);
    },
  };
  return { vectorizer, vectors: counts.map((tf) => toVector(tf, 0)) };
}
