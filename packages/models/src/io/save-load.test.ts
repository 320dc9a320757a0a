import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Vocabulary } from '@collab-ts/core';
import type { CollabModel } from '../types.js';
import { describe, expect, it } from 'vitest';
import { createModel } from '../create.js';
import { loadModel, saveModel } from '../node.js';
import { randomBatch } from '../testing/helpers.js';
import type { ModelKind } from '../types.js';

const vocab = (kind: 'user' | 'item', n: number): Vocabulary => new Vocabulary(kind, Array.from({ length: n }, (_, i) => `${kind[0]}${i + 1}`));
const tmp = (): string => mkdtempSync(join(tmpdir(), 'collab-models-'));

describe('save / load', () => {
  for (const kind of ['dot', 'dot-bias', 'dot-bias-raw', 'embedding-dot-bias', 'embedding-nn'] as ModelKind[]) {
    it(`${kind}: a round trip gives identical predictions`, async () => {
      const model = await createModel(kind, { nUsers: 13, nItems: 17, factors: 6, initStd: 0.3, layers: [8, 4] });
      // train a step so batch-norm running statistics are not at their init
      model.lossAndGrads(randomBatch(1, 13, 17, 32));
      const dir = join(tmp(), 'model');
      saveModel(dir, model, { users: vocab('user', 13), items: vocab('item', 17), meta: { note: 'hello' } });
      const loaded = await loadModel(dir);
      expect(loaded.model.kind).toBe(kind);
      expect((loaded.model as CollabModel).config).toEqual(model.config);
      expect(loaded.users.decode(12)).toBe('u13');
      expect(loaded.meta).toEqual({ note: 'hello' });
      const b = randomBatch(2, 13, 17, 100);
      expect(Array.from(loaded.model.predict(b.users, b.items))).toEqual(Array.from(model.predict(b.users, b.items)));
      for (const p of model.params.list()) {
        const q = (loaded.model as CollabModel).params.get(p.name);
        expect(q.kind).toBe(p.kind);
        expect(q.decay).toBe(p.decay);
      }
    });
  }

  it('writes model.json with the documented fields and a safetensors file Python can read', async () => {
    const model = await createModel('dot-bias', { nUsers: 3, nItems: 4, factors: 2 });
    const dir = join(tmp(), 'm');
    saveModel(dir, model, { users: vocab('user', 3), items: vocab('item', 4) });
    const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(manifest.format).toBe('collab-ts-model');
    expect(manifest.version).toBe(2);
    expect(manifest.history).toBe(false);
    expect(manifest.kind).toBe('dot-bias');
    expect(manifest.tensors.map((t: { name: string }) => t.name)).toEqual(['user_factors.weight', 'user_bias.weight', 'item_factors.weight', 'item_bias.weight']);
    const bytes = new Uint8Array(readFileSync(join(dir, 'weights.safetensors')));
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const n = Number(view.getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header['user_factors.weight']).toEqual({ dtype: 'F32', shape: [3, 2], data_offsets: [0, 24] });
    expect(view.getFloat32(8 + n, true)).toBe(model.params.get('user_factors.weight').data[0]);
  });

  it('a failed save leaves the previous model directory intact', async () => {
    const a = await createModel('dot', { nUsers: 3, nItems: 4, factors: 2, seed: 1 });
    const b = await createModel('dot', { nUsers: 3, nItems: 4, factors: 2, seed: 2 });
    const parent = tmp();
    const dir = join(parent, 'm');
    saveModel(dir, a, { users: vocab('user', 3), items: vocab('item', 4) });
    const before = readFileSync(join(dir, 'weights.safetensors'));
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => saveModel(dir, b, { users: vocab('user', 3), items: vocab('item', 4), meta: circular })).toThrow();
    expect(() => saveModel(dir, b, { users: vocab('user', 2), items: vocab('item', 4) })).toThrow(/user vocabulary has 2 ids but the model has 3/);
    expect(readFileSync(join(dir, 'weights.safetensors')).equals(before)).toBe(true);
    expect(readdirSync(parent)).toEqual(['m']);
    const loaded = await loadModel(dir);
    expect(Array.from((loaded.model as CollabModel).params.get('user_factors.weight').data)).toEqual(Array.from(a.params.get('user_factors.weight').data));
  });

  it('loading a missing, corrupt or mismatched file gives a clear error', async () => {
    const model = await createModel('dot-bias', { nUsers: 3, nItems: 4, factors: 2 });
    const dir = join(tmp(), 'm');
    await expect(loadModel(dir)).rejects.toThrow(/model\.json: cannot read the model manifest \(ENOENT\)/);
    saveModel(dir, model, { users: vocab('user', 3), items: vocab('item', 4) });
    const weights = readFileSync(join(dir, 'weights.safetensors'));
    const manifest = readFileSync(join(dir, 'model.json'), 'utf8');

    writeFileSync(join(dir, 'weights.safetensors'), weights.subarray(0, weights.length - 5));
    await expect(loadModel(dir)).rejects.toThrow(/weights\.safetensors: tensor item_bias\.weight: data runs past the end of the file/);
    writeFileSync(join(dir, 'weights.safetensors'), weights.subarray(0, 4));
    await expect(loadModel(dir)).rejects.toThrow(/too short/);

    writeFileSync(join(dir, 'weights.safetensors'), weights);
    writeFileSync(join(dir, 'model.json'), manifest.slice(0, 40));
    await expect(loadModel(dir)).rejects.toThrow(/model\.json: not valid JSON/);
    const m = JSON.parse(manifest);
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...m, config: { ...m.config, factors: 3 } }));
    await expect(loadModel(dir)).rejects.toThrow(/tensor user_factors\.weight has shape \[3, 2\], the config needs \[3, 3\]/);
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...m, format: 'something-else' }));
    await expect(loadModel(dir)).rejects.toThrow(/format is "something-else"/);
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...m, version: 9 }));
    await expect(loadModel(dir)).rejects.toThrow(/version 9 is not supported/);
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...m, kind: 'dot', config: { ...m.config, kind: 'dot' } }));
    await expect(loadModel(dir)).rejects.toThrow(/unexpected tensor user_bias\.weight for a dot model/);
  });

  it('loads onto another backend with the same predictions', async () => {
    const model = await createModel('embedding-dot-bias', { nUsers: 5, nItems: 6, factors: 4, initStd: 0.4 });
    const dir = join(tmp(), 'm');
    saveModel(dir, model, { users: vocab('user', 5), items: vocab('item', 6) });
    const { model: onCpu } = await loadModel(dir, { backend: 'cpu' });
    expect((onCpu as CollabModel).backend).toBe('cpu');
    const b = randomBatch(3, 5, 6, 20);
    const p = model.predict(b.users, b.items);
    const q = onCpu.predict(b.users, b.items);
    for (let i = 0; i < p.length; i++) expect(q[i]).toBeCloseTo(p[i], 5);
  });

});
