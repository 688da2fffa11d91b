/**
 * What pages keep while the user moves between them (the log explorer's filter and page), in memory only: filters
 * name customers, so they stay out of URLs and storage, and signing out forgets them before the next key signs in.
 */
const kept = new Map<string, unknown>();

export function recall<T>(key: string, initial: T): T {
  return kept.has(key) ? (kept.get(key) as T) : initial;
}

export function keep<T>(key: string, value: T): void {
  kept.set(key, value);
}

export function forgetAll(): void {
  kept.clear();
}
