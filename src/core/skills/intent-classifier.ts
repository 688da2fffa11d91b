// Nearest-example + centroid intent classifier over TF-IDF vectors, with Platt-calibrated confidences.
import type { IntentDef } from '../workspaces/workspace-schema.js';
import { CalibrationSample, DEFAULT_CALIBRATION, confidence, type Calibration } from './calibration.js';
import { fitVectorizer, type SparseVector, type Vectorizer } from './vectorizer.js';

export interface IntentScore {
  intent: string;
  confidence: number;
}

export interface IntentClassifier {
  /** Every intent, most confident first. */
  classify(text: string): IntentScore[];
}

// The best example rewards a near-verbatim match; the centroid rewards sharing the intent's overall vocabulary.
const BEST_EXAMPLE_SHARE = 0.6;
// Bounds calibration cost so that compiling a big workspace stays well under a second.
const CALIBRATION_EXAMPLES = 400;
const CALIBRATION_COUNTEREXAMPLES = 100;
const MIN_CALIBRATION_INTENTS = 2;
const MIN_CALIBRATION_EXAMPLES = 6;

/** Documents (examples, then counterexamples) indexed by feature, so a query only touches documents sharing a term. */
interface Postings {
  readonly offsets: Int32Array;
  readonly documents: Int32Array;
  readonly weights: Float64Array;
}

interface Model {
  readonly postings: Postings;
  readonly documentCount: number;
  /** Intent k owns documents [starts[k], starts[k+1]); counterexamples run from starts[intentCount] to the end. */
  readonly starts: Int32Array;
  /** |sum of intent k's unit example vectors|², for the centroid cosine. */
  readonly centroidNormSq: Float64Array;
}

export function trainIntentClassifier(
  intents: readonly IntentDef[],
  counterexamples: readonly { text: string }[],
  stemming: boolean,
): IntentClassifier {
  const names = intents.map((i) => i.intent);
  const texts: string[] = [];
  const starts = new Int32Array(intents.length + 1);
  intents.forEach((intent, k) => {
    starts[k] = texts.length;
    for (const example of intent.examples ?? []) texts.push(example.text);
  });
  starts[intents.length] = texts.length;
  for (const counterexample of counterexamples) texts.push(counterexample.text);

  const { vectorizer, vectors } = fitVectorizer(texts, stemming);
  const model: Model = {
    postings: buildPostings(vectors, vectorizer.featureCount),
    documentCount: texts.length,
    starts,
    centroidNormSq: centroidNorms(vectors, starts),
  };
  const calibration = calibrate(model, vectors);
  return classifierFor(model, vectorizer, names, calibration);
}

function classifierFor(model: Model, vectorizer: Vectorizer, names: string[], calibration: Calibration): IntentClassifier {
  // Reused across calls: classification is on the hot path and single-threaded.
  const row = new Float64Array(model.documentCount);
  const scores = new Float64Array(names.length);
  return {
    classify(text) {
      similarities(model.postings, vectorizer.vectorize(text), row);
      scoreIntents(model, row, -1, scores);
      const ranked = names.map((intent, k) => ({ intent, confidence: confidence(calibration, scores[k]!) }));
      return ranked.sort((x, y) => y.confidence - x.confidence);
    },
  };
}

function buildPostings(vectors: readonly SparseVector[], featureCount: number): Postings {
  const offsets = new Int32Array(featureCount + 1);
  for (const v of vectors) for (const id of v.ids) offsets[id + 1]!++;
  for (let f = 0; f < featureCount; f++) offsets[f + 1]! += offsets[f]!;
  const cursor = offsets.slice(0, featureCount);
  const total = offsets[featureCount]!;
  const documents = new Int32Array(total);
  const weights = new Float64Array(total);
  vectors.forEach((v, doc) => {
    v.ids.forEach((id, i) => {
      const at = cursor[id]!++;
      documents[at] = doc;
      weights[at] = v.weights[i]!;
    });
  });
  return { offsets, documents, weights };
}

function centroidNorms(vectors: readonly SparseVector[], starts: Int32Array): Float64Array {
  const norms = new Float64Array(starts.length - 1);
  for (let k = 0; k < norms.length; k++) {
    const sum = new Map<number, number>();
    for (let doc = starts[k]!; doc < starts[k + 1]!; doc++) {
      const v = vectors[doc]!;
      v.ids.forEach((id, i) => sum.set(id, (sum.get(id) ?? 0) + v.weights[i]!));
    }
    for (const w of sum.values()) norms[k]! += w * w;
  }
  return norms;
}

/** Cosine similarity of `query` with every document, written into `row`. */
function similarities(postings: Postings, query: SparseVector, row: Float64Array): void {
  row.fill(0);
  const { offsets, documents, weights } = postings;
  for (let i = 0; i < query.ids.length; i++) {
    const id = query.ids[i]!;
    const w = query.weights[i]!;
    for (let p = offsets[id]!; p < offsets[id + 1]!; p++) row[documents[p]!]! += w * weights[p]!;
  }
}

/**
 * Raw score per intent from one similarity row. `exclude` leaves one document out (for calibration);
 * the centroid is then recomputed without it from |S−x|² = |S|² − 2·x·(S−x) − |x|².
 */
function scoreIntents(model: Model, row: Float64Array, exclude: number, out: Float64Array): void {
  const { starts, centroidNormSq } = model;
  const intentCount = out.length;
  const irrelevance = bestIn(row, starts[intentCount]!, model.documentCount, exclude).best;
  for (let k = 0; k < intentCount; k++) {
    const { best, sum } = bestIn(row, starts[k]!, starts[k + 1]!, exclude);
    const excluded = exclude >= starts[k]! && exclude < starts[k + 1]!;
    const normSq = excluded ? centroidNormSq[k]! - 2 * sum - row[exclude]! : centroidNormSq[k]!;
    const centroid = normSq > 1e-12 ? sum / Math.sqrt(normSq) : 0;
    let score = BEST_EXAMPLE_SHARE * best + (1 - BEST_EXAMPLE_SHARE) * centroid;
    // A counterexample closer than any example drags the intent down, to zero for an exact counterexample.
    if (irrelevance > best) score *= best < 1 ? Math.max(0, 1 - irrelevance) / (1 - best) : 0;
    out[k] = score;
  }
}

function bestIn(row: Float64Array, from: number, to: number, exclude: number): { best: number; sum: number } {
  let best = 0;
  let sum = 0;
  for (let doc = from; doc < to; doc++) {
    if (doc === exclude) continue;
    const s = row[doc]!;
    sum += s;
    if (s > best) best = s;
  }
  return { best, sum };
}

/**
 * Fits the confidence curve on leave-one-out scores: each sampled example is scored against the rest of
 * the workspace, its own intent giving a positive and every other intent a negative.
 */
function calibrate(model: Model, vectors: readonly SparseVector[]): Calibration {
  const intentCount = model.starts.length - 1;
  const learnable: number[] = [];
  let learnableIntents = 0;
  for (let k = 0; k < intentCount; k++) {
    const from = model.starts[k]!;
    const to = model.starts[k + 1]!;
    // A lone example has nothing left to be compared with once it is left out.
    if (to - from < 2) continue;
    learnableIntents++;
    for (let doc = from; doc < to; doc++) learnable.push(doc);
  }
  if (learnableIntents < MIN_CALIBRATION_INTENTS || learnable.length < MIN_CALIBRATION_EXAMPLES) return DEFAULT_CALIBRATION;

  const counterDocs: number[] = [];
  for (let doc = model.starts[intentCount]!; doc < model.documentCount; doc++) counterDocs.push(doc);

  const sample = new CalibrationSample();
  const row = new Float64Array(model.documentCount);
  const scores = new Float64Array(intentCount);
  const addLeftOut = (doc: number) => {
    similarities(model.postings, vectors[doc]!, row);
    scoreIntents(model, row, doc, scores);
    for (let k = 0; k < intentCount; k++) {
      sample.add(scores[k]!, doc >= model.starts[k]! && doc < model.starts[k + 1]!);
    }
  };
  for (const doc of evenly(learnable, CALIBRATION_EXAMPLES)) addLeftOut(doc);
  for (const doc of evenly(counterDocs, CALIBRATION_COUNTEREXAMPLES)) addLeftOut(doc);
  return sample.fit() ?? DEFAULT_CALIBRATION;
}

/** At most `max` items spread evenly over `items`: deterministic and proportional to intent sizes. */
function evenly<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  return Array.from({ length: max }, (_, i) => items[Math.floor((i * items.length) / max)]!);
}
