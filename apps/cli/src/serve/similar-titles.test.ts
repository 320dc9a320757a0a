import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { generateSynthetic } from '@collab-ts/data';
import { createModel } from '@collab-ts/models';
import type { ModelBundle } from '@collab-ts/models';
import { buildServer } from './app.js';

let app: FastifyInstance;
let base: string;
let bundle: ModelBundle;

// 14 items whose titles include 12 "Star Trek" films, so a part of a title can be ambiguous
const TITLES = ['Star Wars (1977)', 'Fargo (1996)', ...Array.from({ length: 12 }, (_, k) => `Star Trek ${k + 1} (19${80 + k})`)];

beforeAll(async () => {
  const { dataset } = generateSynthetic({ users: 30, items: TITLES.length, ratings: 300, factors: 2, seed: 2 });
  const items = dataset.items.withTitles((id) => TITLES[dataset.items.tryEncode(id)]);
  const model = await createModel('dot-bias', { nUsers: dataset.users.size, nItems: items.size, factors: 4, seed: 1 });
  bundle = { model, users: dataset.users, items, meta: {} };
  app = await buildServer(bundle, { ratePerMinute: 0 });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app.close();
});

const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const r = await fetch(base + path);
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};

describe('GET /similar takes titles as collab similar --item does', () => {
  it('accepts an exact title (any case), a part only one title contains, and an id', async () => {
    const starWars = bundle.items.decode(0);
    for (const q of ['Star Wars (1977)', 'star wars (1977)', 'Star Wars', starWars]) {
      const r = await get(`/similar?item=${encodeURIComponent(q)}&k=3`);
      expect(r.status, q).toBe(200);
      expect(r.body).toMatchObject({ item: starWars, title: 'Star Wars (1977)' });
      expect(r.body.similar).toHaveLength(3);
    }
  });

  it('answers an ambiguous part of a title with 400 and at most 10 candidates', async () => {
    const r = await get(`/similar?item=${encodeURIComponent('Star Trek')}`);
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/"Star Trek" is ambiguous: 12 titles match/);
    const candidates = r.body.candidates as { item: string; title: string }[];
    expect(candidates).toHaveLength(10);
    expect(candidates.every((c) => c.title.startsWith('Star Trek'))).toBe(true);
    expect((await get(`/similar?item=${encodeURIComponent('Casablanca')}`)).status).toBe(404);
  });
});
