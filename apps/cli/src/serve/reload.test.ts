import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { generateSynthetic } from '@collab-ts/data';
import type { RatingsDataset } from '@collab-ts/data';
import { createModel } from '@collab-ts/models';
import type { CollabModel, ModelBundle } from '@collab-ts/models';
import { buildServer } from './app.js';
import { ModelSlot } from './model-slot.js';
import type { LoadedModel, ReloadResult } from './model-slot.js';

const { dataset } = generateSynthetic({ users: 30, items: 40, ratings: 600, factors: 4, seed: 9 });

async function bundleOf(ds: RatingsDataset, seed: number): Promise<ModelBundle> {
  const model = await createModel('dot-bias', { nUsers: ds.users.size, nItems: ds.items.size, factors: 6, seed });
  return { model, users: ds.users, items: ds.items, meta: {} };
}

/** The model with `predict` and `dispose` observed: `onPredict` runs before each call, `disposed` counts calls. */
function observed(bundle: ModelBundle, onPredict: () => void = () => undefined): ModelBundle & { disposed: () => number } {
  let disposed = 0;
  const model = new Proxy(bundle.model, {
    get(target, prop) {
      if (prop === 'predict')
        return (u: Int32Array, i: Int32Array) => {
          onPredict();
          return target.predict(u, i);
        };
      if (prop === 'dispose')
        return () => {
          disposed++;
          target.dispose();
        };
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }) as CollabModel;
  return { ...bundle, model, disposed: () => disposed };
}

const pairs = Array.from({ length: 40 }, (_, k) => ({ user: dataset.users.decode(k % 30), item: dataset.items.decode((k * 7) % 40) }));
const expectedScores = (b: ModelBundle): number[] =>
  Array.from(b.model.predict(Int32Array.from(pairs, (p) => b.users.encode(p.user)), Int32Array.from(pairs, (p) => b.items.encode(p.item))));

let app: FastifyInstance | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

async function start(slot: ModelSlot, token: string | null = null): Promise<(path: string, init?: RequestInit) => Promise<{ status: number; body: Record<string, unknown> }>> {
  app = await buildServer(slot, { scoreChunk: 4, ratePerMinute: 0, token });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return async (path, init) => {
    const r = await fetch(base + path, init);
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
}
const scoreInit: RequestInit = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairs }) };

describe('reloading the served model', () => {
  it('swaps the model between requests: a request in flight finishes on the old one, which is disposed after it', async () => {
    const second = await bundleOf(dataset, 2);
    const loads: LoadedModel[] = [{ bundle: second, seen: null }];
    const events: ReloadResult[] = [];
    let reloading: Promise<ReloadResult> | null = null;
    let slot: ModelSlot | null = null;
    // The first model asks for a reload while it scores the first of ten chunks of a request.
    const firstRaw = await bundleOf(dataset, 1);
    const first = observed(firstRaw, () => {
      reloading ??= slot!.reload();
      expect(first.disposed()).toBe(0);
    });
    slot = new ModelSlot(
      { bundle: first, seen: null },
      {
        load: async () => {
          const next = loads.shift();
          if (!next) throw new Error('model.json: no such file');
          return next;
        },
        onReload: (r) => events.push(r),
      },
    );
    const call = await start(slot);

    const inFlight = await call('/score', scoreInit);
    expect(inFlight.status).toBe(200);
    expect(inFlight.body.scores).toEqual(expectedScores(firstRaw)); // all ten chunks from the first model
    expect(await reloading).toMatchObject({ ok: true, generation: 2, model: 'dot-bias', users: 30, items: 40 });
    expect(first.disposed()).toBe(1);

    const after = await call('/score', scoreInit);
    expect(after.body.scores).toEqual(expectedScores(second));
    expect(after.body.scores).not.toEqual(inFlight.body.scores);
    expect((await call('/health')).body).toMatchObject({ status: 'ok', generation: 2 });

    // A reload that fails keeps the model being served.
    const failed = await slot.reload();
    expect(failed).toMatchObject({ ok: false, generation: 2, error: 'model.json: no such file' });
    expect((await call('/score', scoreInit)).body.scores).toEqual(expectedScores(second));
    expect((await call('/health')).body).toMatchObject({ status: 'ok', generation: 2 });
    expect(events.map((e) => e.ok)).toEqual([true, false]);
  });

  it('keeps a sound model rather than swap in one with non-finite weights, and runs one reload at a time', async () => {
    const broken = await bundleOf(dataset, 3);
    broken.model.factors()!.itemFactors[5] = Number.NaN;
    const good = await bundleOf(dataset, 4);
    const loads: ModelBundle[] = [broken, good, good];
    let active = 0;
    let most = 0;
    const slot = new ModelSlot(
      { bundle: await bundleOf(dataset, 1), seen: null },
      {
        load: async () => {
          most = Math.max(most, ++active);
          await new Promise<void>((resolve) => setImmediate(resolve));
          active--;
          return { bundle: loads.shift()!, seen: null };
        },
      },
    );
    const refused = await slot.reload();
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.error).toMatch(/non-finite weights \(weights .*1 non-finite value/);
    expect(slot.current.generation).toBe(1);
    // Three requests while none runs: the first starts, the other two share the one queued behind it.
    const [a, b, c] = [slot.reload(), slot.reload(), slot.reload()];
    expect(b).toBe(c);
    expect((await a).generation).toBe(2);
    expect((await b).generation).toBe(3);
    expect(most).toBe(1);
    expect(loads).toHaveLength(0);
  });

  it('POST /admin/reload needs the token: 403 without one configured, 401 without the header, 200 or 500 with it', async () => {
    const noToken = await start(new ModelSlot({ bundle: await bundleOf(dataset, 1), seen: null }, { load: async () => ({ bundle: await bundleOf(dataset, 2), seen: null }) }));
    const off = await noToken('/admin/reload', { method: 'POST' });
    expect(off.status).toBe(403);
    expect(off.body.message).toMatch(/--token .*SIGHUP/);
    await app!.close();

    const loads = [await bundleOf(dataset, 2)];
    const slot = new ModelSlot(
      { bundle: await bundleOf(dataset, 1), seen: null },
      {
        load: async () => {
          const next = loads.shift();
          if (!next) throw new Error('weights.safetensors: truncated');
          return { bundle: next, seen: null };
        },
      },
    );
    const call = await start(slot, 's3cret');
    const auth = { authorization: 'Bearer s3cret' };
    expect((await call('/admin/reload', { method: 'POST' })).status).toBe(401);
    const ok = await call('/admin/reload', { method: 'POST', headers: auth });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'reloaded', ok: true, generation: 2 });
    const bad = await call('/admin/reload', { method: 'POST', headers: auth });
    expect(bad.status).toBe(500);
    expect(bad.body.message).toMatch(/reload failed, still serving generation 2: weights.safetensors: truncated/);
    expect((await call('/health')).body).toMatchObject({ status: 'ok', generation: 2 });
  });
});
