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
