/** Levenshtein distance, used to suggest the filterable fields closest to a misspelt one (short names only). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, (previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Levenshtein distance of `a` and `b` is at most `k`. Only cells within `k` of the diagonal can hold a distance
 * of `k` or less, so this computes a band of 2k + 1 cells per row: O(length × k) instead of O(length²), and it
 * stops at the first row whose every cell is already over `k`.
 */
export function withinDistance(a: string, b: string, k: number): boolean {
  if (Math.abs(a.length - b.length) > k) return false;
  const over = k + 1;
  // Row i holds D[i][j] at index j - i + k, for j in [i - k, i + k]; cells outside the band count as over k.
  let previous = new Array<number>(2 * k + 1).fill(over);
  for (let j = 0; j <= Math.min(k, b.length); j++) previous[j + k] = j;
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(2 * k + 1).fill(over);
    let best = over;
    for (let j = Math.max(0, i - k); j <= Math.min(b.length, i + k); j++) {
      const d = j - i + k;
      let cell: number;
      if (j === 0) cell = i;
      else {
        const substitution = previous[d]! + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1);
        const deletion = d + 1 < previous.length ? previous[d + 1]! + 1 : over;
        const insertion = d > 0 ? current[d - 1]! + 1 : over;
        cell = Math.min(substitution, deletion, insertion, over);
      }
      current[d] = cell;
      if (cell < best) best = cell;
    }
    if (best > k) return false;
    previous = current;
  }
  return previous[b.length - a.length + k]! <= k;
}
