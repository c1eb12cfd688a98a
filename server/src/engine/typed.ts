/**
 * Growing typed arrays: the engine's tables and scratch arrays double when full.
 */

/** The typed arrays the engine grows. */
export type GrowableArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/**
 * A copy of a typed array in one twice as long (the new half zero).
 * @param a The array.
 * @returns The copy, of the same kind.
 */
export function doubled<A extends GrowableArray>(a: A): A {
  const b = new (a.constructor as new (n: number) => A)(a.length * 2);
  b.set(a as ArrayLike<number>);
  return b;
}

/**
 * An open-addressing table of `stride` 32-bit values per slot, grown to twice as many slots: every occupied slot is
 * placed again by linear probing from its hash. A slot is empty when its value at `occupied` is 0.
 *
 * @param old The full table (its slot count a power of two).
 * @param stride Values per slot.
 * @param occupied Which value of a slot is 0 when the slot is empty.
 * @param hash The hash of the slot starting at `at` in `old` (masked here).
 * @returns The new table and its slot mask.
 */
export function rehashed(old: Int32Array, stride: number, occupied: number, hash: (old: Int32Array, at: number) => number): {table: Int32Array<ArrayBuffer>; mask: number} {
  const size = (old.length / stride) * 2;
  const table = new Int32Array(size * stride);
  const mask = size - 1;
  for (let at = 0; at < old.length; at += stride) {
    if (old[at + occupied] === 0) continue;
    let slot = hash(old, at) & mask;
    while (table[slot * stride + occupied] !== 0) slot = (slot + 1) & mask;
    table.set(old.subarray(at, at + stride), slot * stride);
  }
  return {table, mask};
}
