import { describe, expect, it } from 'vitest';
import { sharedFloat32 } from '@collab-ts/core';
import { createModel } from './create.js';
import { randomBatch } from './testing/helpers.js';

describe('models allocate their tables through the allocate hook', () => {
  for (const kind of ['dot-bias', 'embedding-nn'] as const) {
    it(`${kind}: every table is in shared memory, initialised and trained as on the heap`, async () => {
      const opts = { nUsers: 12, nItems: 9, factors: 4, layers: [6], seed: 3, backend: 'fused' as const };
      const shared = await createModel(kind, { ...opts, allocate: sharedFloat32 });
      const heap = await createModel(kind, opts);
      for (const p of shared.params.list()) {
        expect(p.data.buffer, p.name).toBeInstanceOf(SharedArrayBuffer);
        expect(p.data).toEqual(heap.params.get(p.name).data);
      }
      const batch = randomBatch(4, 12, 9, 16);
      expect(shared.lossAndGrads(batch).loss).toBe(heap.lossAndGrads(batch).loss);
    });
  }
});
