import type { ModelBundle } from '@collab-ts/models';

/** The items hidden from user `u`'s recommendations: their row of the model's history, and `seen` when given. */
export function hiddenFor(model: ModelBundle['model'], u: number, seen: Int32Array | undefined): ArrayLike<number> | undefined {
  const h = model.history;
  const own = h ? h.indices.subarray(h.offsets[u], h.offsets[u + 1]) : null;
  if (!own || own.length === 0) return seen;
  if (!seen || seen.length === 0) return own;
  const both = new Int32Array(own.length + seen.length);
  both.set(own);
  both.set(seen, own.length);
  return both;
}
