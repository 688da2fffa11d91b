// Platt scaling: maps a raw similarity score to P(the intent is right) with a logistic curve.

export interface Calibration {
  readonly a: number;
  readonly b: number;
}

/**
 * Used when a workspace is too small to learn from: 0.45 is roughly where a paraphrase stops looking
 * like its intent, and the slope puts an exact example (score ≈ 0.8–1) above 0.9 and noise below 0.02.
 */
export const DEFAULT_CALIBRATION: Calibration = { a: 10, b: -4.5 };

const BINS = 200;
const ITERATIONS = 400;
// Safe for the logistic loss on standardised inputs (its curvature is at most 1/4 per unit variance).
const LEARNING_RATE = 2;

export function confidence(calibration: Calibration, score: number): number {
  return 1 / (1 + Math.exp(-(calibration.a * score + calibration.b)));
}

/**
 * Collects (score, label) pairs into histograms so that fitting costs O(bins), not O(pairs):
 * a big workspace produces tens of thousands of negative pairs.
 */
export class CalibrationSample {
  private readonly positives = new Float64Array(BINS + 1);
  private readonly negatives = new Float64Array(BINS + 1);

  add(score: number, isCorrect: boolean): void {
    const bin = Math.round(Math.min(1, Math.max(0, score)) * BINS);
    (isCorrect ? this.positives : this.negatives)[bin]!++;
  }

  /** Fits a·score + b by gradient descent; undefined when the data cannot give an increasing curve. */
  fit(): Calibration | undefined {
    const positiveCount = this.positives.reduce((s, n) => s + n, 0);
    const negativeCount = this.negatives.reduce((s, n) => s + n, 0);
    if (positiveCount === 0 || negativeCount === 0) return undefined;
    // Platt's targets: soften 0/1 so that separable data does not push the slope to infinity.
    const highTarget = (positiveCount + 1) / (positiveCount + 2);
    const lowTarget = 1 / (negativeCount + 2);

    const points: { x: number; target: number; weight: number }[] = [];
    for (let bin = 0; bin <= BINS; bin++) {
      if (this.positives[bin]! > 0) points.push({ x: bin / BINS, target: highTarget, weight: this.positives[bin]! });
      if (this.negatives[bin]! > 0) points.push({ x: bin / BINS, target: lowTarget, weight: this.negatives[bin]! });
    }
    const total = positiveCount + negativeCount;
    const mean = points.reduce((s, p) => s + p.x * p.weight, 0) / total;
    const std = Math.sqrt(points.reduce((s, p) => s + (p.x - mean) ** 2 * p.weight, 0) / total);
    if (std === 0) return undefined;

    // Standardising makes one learning rate fit every workspace; the result is mapped back to raw scores.
    let slope = 0;
    let intercept = 0;
    for (let step = 0; step < ITERATIONS; step++) {
      let gradSlope = 0;
      let gradIntercept = 0;
      for (const p of points) {
        const z = (p.x - mean) / std;
        const error = (1 / (1 + Math.exp(-(slope * z + intercept))) - p.target) * p.weight;
        gradSlope += error * z;
        gradIntercept += error;
      }
      slope -= (LEARNING_RATE * gradSlope) / total;
      intercept -= (LEARNING_RATE * gradIntercept) / total;
    }
    if (!(slope > 0)) return undefined;
    return { a: slope / std, b: intercept - (slope * mean) / std };
  }
}
