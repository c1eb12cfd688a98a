// The seeded random generator of the repository's scripts and benchmarks (mulberry32): the same seed gives the same
// sequence on every machine, so trainings, cross-validation folds and generated corpora are reproducible.

/**
 * A seeded generator of numbers in [0, 1).
 * @param {number} seed Seed (its low 32 bits count).
 * @returns {() => number} The next number.
 */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
