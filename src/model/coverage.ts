import { FALLBACK } from './metric-rules.js';

/**
 * Coverage: the share of messages answered with a confident, non-fallback intent. The threshold is chosen per
 * request, so the aggregates keep a histogram of top-intent confidence in buckets of 0.01 instead of a yes/no:
 * bucket b holds confidences in [b/100, (b+1)/100), and fallbacks sit in bucket -1 whatever their confidence.
 */
export const DEFAULT_COVERAGE_THRESHOLD = 0.2;
export const FALLBACK_BUCKET = -1;

export function coverageBucket(flags: number, topConfidence: number | null): number {
  if (flags & FALLBACK || topConfidence === null || !Number.isFinite(topConfidence)) return FALLBACK_BUCKET;
  // The epsilon keeps 0.29 (stored as 0.28999…) in bucket 29, where a reader of the threshold expects it.
  return Math.min(100, Math.max(0, Math.floor(topConfidence * 100 + 1e-9)));
}

/** The first bucket a threshold counts as covered; thresholds are taken to the nearest 0.01. */
export function firstCoveredBucket(threshold: number): number {
  return Math.round(threshold * 100);
}
