import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

/** The weights file a saved model's manifest names. */
function weightsOf(dir: string): string {
  return join(dir, JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weights);
}

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
    expect(manifest.weights).toMatch(/^weights\.[0-9a-z]+\.safetensors$/);
    expect(manifest.tensors[0].crc32).toEqual(expect.any(Number));
    const bytes = new Uint8Array(readFileSync(join(dir, manifest.weights)));
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
    const before = readFileSync(weightsOf(dir));
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => saveModel(dir, b, { users: vocab('user', 3), items: vocab('item', 4), meta: circular })).toThrow();
    expect(() => saveModel(dir, b, { users: vocab('user', 2), items: vocab('item', 4) })).toThrow(/user vocabulary has 2 ids but the model has 3/);
    expect(readFileSync(weightsOf(dir)).equals(before)).toBe(true);
    expect(readdirSync(parent)).toEqual(['m']);
    const loaded = await loadModel(dir);
    expect(Array.from((loaded.model as CollabModel).params.get('user_factors.weight').data)).toEqual(Array.from(a.params.get('user_factors.weight').data));
  });

  it('loading a missing, corrupt or mismatched file gives a clear error', async () => {
    const model = await createModel('dot-bias', { nUsers: 3, nItems: 4, factors: 2 });
    const dir = join(tmp(), 'm');
    await expect(loadModel(dir)).rejects.toThrow(/model\.json: cannot read the model manifest \(ENOENT\)/);
    saveModel(dir, model, { users: vocab('user', 3), items: vocab('item', 4) });
    const wpath = weightsOf(dir);
    const weights = readFileSync(wpath);
    const manifest = readFileSync(join(dir, 'model.json'), 'utf8');

    writeFileSync(wpath, weights.subarray(0, weights.length - 5));
    await expect(loadModel(dir)).rejects.toThrow(/weights\.[0-9a-z]+\.safetensors: the file has \d+ bytes but its header describes \d+: it is truncated or damaged/);
    writeFileSync(wpath, weights.subarray(0, 4));
    await expect(loadModel(dir)).rejects.toThrow(/too short/);

    writeFileSync(wpath, weights);
    writeFileSync(join(dir, 'model.json'), manifest.slice(0, 40));
    await expect(loadModel(dir)).rejects.toThrow(/model\.json: not valid JSON/);
    const m = JSON.parse(manifest);
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...m, config: { ...m.config, factors: 3 } }));
    await expect(loadModel(dir)).rejects.toThrow(/tensor user_factors\.weight has shape \[3, 2\], the config needs \[3, 3\]/);
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...m, weights: '../../etc/passwd' }));
    await expect(loadModel(dir)).rejects.toThrow(/must be a file name inside the model folder/);
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...m, format: 'something-else' }));
    await expect(loadModel(dir)).rejects.toThrow(/format is "something-else"/);
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...m, version: 9 }));
    await expect(loadModel(dir)).rejects.toThrow(/version 9 is not supported/);
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...m, kind: 'dot', config: { ...m.config, kind: 'dot' } }));
    await expect(loadModel(dir)).rejects.toThrow(/unexpected tensor user_bias\.weight for a dot model/);
  });

  it('rejects flipped bytes, non-finite weights, overlapping tensors and a weights path that is not a regular file', async () => {
    const model = await createModel('dot-bias', { nUsers: 3, nItems: 4, factors: 2, initStd: 0.3 });
    const dir = join(tmp(), 'm');
    saveModel(dir, model, { users: vocab('user', 3), items: vocab('item', 4) });
    const wpath = weightsOf(dir);
    const good = readFileSync(wpath);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 3] ^= 0x10;
    writeFileSync(wpath, flipped);
    await expect(loadModel(dir)).rejects.toThrow(/tensor item_bias\.weight fails its checksum: the file is damaged/);
    // overlapping offsets: point the second tensor's data at the first one's
    const n = Number(good.readBigUInt64LE(0));
    const header = JSON.parse(good.subarray(8, 8 + n).toString('utf8'));
    header['user_bias.weight'].data_offsets = [0, 12];
    let text = JSON.stringify(header);
    while (text.length < n) text += ' ';
    if (text.length === n) {
      writeFileSync(wpath, Buffer.concat([good.subarray(0, 8), Buffer.from(text), good.subarray(8 + n)]));
      await expect(loadModel(dir)).rejects.toThrow(/overlaps|gap/);
    }
    rmSync(wpath);
    symlinkSync('/dev/zero', wpath);
    await expect(loadModel(dir)).rejects.toThrow(/not a regular file/);
    rmSync(wpath);
    writeFileSync(wpath, good);
    await expect(loadModel(dir)).resolves.toBeTruthy();

    model.params.get('item_factors.weight').data[5] = Number.NaN;
    saveModel(dir, model, { users: vocab('user', 3), items: vocab('item', 4) });
    await expect(loadModel(dir)).rejects.toThrow(/tensor item_factors\.weight holds a non-finite value \(NaN\) at position 5/);
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
