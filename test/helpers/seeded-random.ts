/** mulberry32: a tiny seeded PRNG, so fuzz tests try the same inputs on every run and seeded data is reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One input for a parser fuzz test: pure noise, a well-formed input, or a well-formed input with a near-miss edit
 * (a piece of noise inserted or a character deleted), which exercises the error paths that matter.
 */
export function fuzzInput(random: () => number, noise: (maxPieces: number) => string, structured: () => string): string {
  const roll = random();
  if (roll < 0.4) return noise(24);
  const input = structured();
  if (roll < 0.7) return input;
  const at = Math.floor(random() * (input.length + 1));
  return random() < 0.5 ? input.slice(0, at) + noise(3) + input.slice(at) : input.slice(0, at) + input.slice(at + 1);
}
