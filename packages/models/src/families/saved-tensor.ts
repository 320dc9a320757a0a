import type { NamedTensor } from '@collab-ts/core';

/** A saved tensor of the expected dtype and shape. */
export function savedTensor<T extends Float32Array | Int32Array>(
  tensors: Record<string, NamedTensor>,
  name: string,
  type: { new (n: number): T },
  shape: readonly number[],
): T {
  const t = tensors[name];
  if (!t) throw new Error(`tensor ${name} is missing`);
  if (!(t.data instanceof type)) throw new Error(`tensor ${name} must be ${type === (Int32Array as unknown) ? 'I32' : 'F32'}`);
  if (t.shape.join(',') !== shape.join(',')) throw new Error(`tensor ${name} has shape [${t.shape.join(', ')}], the config needs [${shape.join(', ')}]`);
  return t.data as T;
}
