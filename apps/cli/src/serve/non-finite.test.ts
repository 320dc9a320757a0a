import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { generateSynthetic } from '@collab-ts/data';
import { createModel } from '@collab-ts/models';
import type { ModelBundle } from '@collab-ts/models';
import { buildServer } from './app.js';
import { nonFiniteWeights } from './model-slot.js';

// A model whose weights hold NaN: all of user 3's factors and one of item 5's. Its scores for them are NaN, which
// JSON.stringify used to answer as `"score": null`.
let app: FastifyInstance;
let base: string;
let bundle: ModelBundle;

beforeAll(async () => {
  const { dataset } = generateSynthetic({ users: 20, items: 30, ratings: 300, factors: 4, seed: 2 });
  const model = await createModel('dot-bias', { nUsers: dataset.users.size, nItems: dataset.items.size, factors: 4, seed: 1 });
  const f = model.factors()!;
  f.userFactors.fill(Number.NaN, 3 * f.dim, 4 * f.dim);
  f.itemFactors[5 * f.dim + 1] = Number.NaN;
  bundle = { model, users: dataset.users, items: dataset.items, meta: {} };
  app = await buildServer(bundle, { ratePerMinute: 0 });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app.close();
});

const call = async (path: string, init?: RequestInit): Promise<{ status: number; text: string; body: Record<string, unknown> }> => {
  const r = await fetch(base + path, init);
  const text = await r.text();
  return { status: r.status, text, body: JSON.parse(text) as Record<string, unknown> };
};

describe('a model with non-finite weights', () => {
  it('is found once at load, and /health says degraded and where', async () => {
    const problems = nonFiniteWeights(bundle.model);
    expect(problems.join('\n')).toMatch(/4 non-finite values \(first at index 12\)/);
    expect(problems.join('\n')).toMatch(/1 non-finite value \(first at index 21\)/);
    const h = await call('/health');
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ status: 'degraded', model: 'dot-bias' });
    expect(h.body.problems).toEqual(problems);
  });

  it('answers 500 naming the pair, never a null score, while sound pairs still score', async () => {
    const user = (u: number): string => bundle.users.decode(u);
    const item = (i: number): string => bundle.items.decode(i);
    const sound = await call('/score', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairs: [{ user: user(0), item: item(0) }] }) });
    expect(sound.status).toBe(200);
    expect(sound.body.scores).toHaveLength(1);
    const cases: [{ user: string; item: string }[], number][] = [
      [[{ user: user(0), item: item(0) }, { user: user(3), item: item(1) }], 1],
      [[{ user: user(1), item: item(5) }], 0],
    ];
    for (const [pairs, at] of cases) {
      const r = await call('/score', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairs }) });
      expect(r.status).toBe(500);
      expect(r.text).not.toMatch(/null/);
      expect(r.body.message).toMatch(new RegExp(`non-finite score \\(NaN\\) for pairs\\[${at}\\] \\(user "${pairs[at].user}", item "${pairs[at].item}"\\)`));
    }
    const rec = await call(`/recommend?user=${user(3)}&k=3`);
    expect(rec.status).toBe(500);
    expect(rec.body.message).toMatch(new RegExp(`non-finite score \\(NaN\\) for user "${user(3)}"`));
    expect((await call(`/recommend?user=${user(0)}&k=3`)).status).toBe(200);
    const sim = await call(`/similar?item=${item(5)}&k=3`);
    expect(sim.status).toBe(500);
    expect(sim.body.message).toMatch(new RegExp(`factors for item "${item(5)}" are not finite`));
    const other = await call(`/similar?item=${item(0)}&k=29`);
    expect(other.status).toBe(500);
    expect(other.body.message).toMatch(new RegExp(`factors for item "${item(5)}", similar to "${item(0)}", are not finite`));
    expect((await call(`/similar?item=${item(0)}&k=3`)).status).toBe(200);
  });
});
