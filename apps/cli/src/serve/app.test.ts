import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { once } from 'node:events';
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { generateSynthetic, randomSplit } from '@collab-ts/data';
import { createModel } from '@collab-ts/models';
import type { ModelBundle } from '@collab-ts/models';
import { buildServer } from './app.js';

let app: FastifyInstance;
let base: string;
let bundle: ModelBundle;

beforeAll(async () => {
  const { dataset } = generateSynthetic({ users: 60, items: 80, ratings: 2000, factors: 4, seed: 5 });
  const model = await createModel('dot-bias', { nUsers: dataset.users.size, nItems: dataset.items.size, factors: 8, seed: 1 });
  bundle = { model, users: dataset.users, items: dataset.items, meta: {} };
  const { train } = randomSplit(dataset.ratings, { validPct: 0.2, seed: 1 });
  app = await buildServer(bundle, { maxK: 20, maxPairs: 50, bodyLimit: 4096, ratePerMinute: 100_000, scoreChunk: 7, largeBody: 256 }, train);
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app.close();
});

const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const r = await fetch(base + path);
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};
const post = async (path: string, body: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const r = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};

describe('collab serve over loopback', () => {
  it('answers /health, /recommend, /similar and /score', async () => {
    expect((await get('/health')).body).toMatchObject({ status: 'ok', model: 'dot-bias', users: 60 });
    const user = bundle.users.decode(3);
    const rec = await get(`/recommend?user=${user}&k=5`);
    expect(rec.status).toBe(200);
    const recs = rec.body.recommendations as { item: string; score: number }[];
    expect(recs).toHaveLength(5);
    expect(recs[0].score).toBeGreaterThanOrEqual(recs[4].score);
    const sim = await get(`/similar?item=${bundle.items.decode(0)}&k=3`);
    expect(sim.status).toBe(200);
    expect(sim.body.similar).toHaveLength(3);
    const pairs = [{ user, item: bundle.items.decode(1) }, { user: bundle.users.decode(0), item: bundle.items.decode(2) }];
    const sc = await post('/score', JSON.stringify({ pairs }));
    expect(sc.status).toBe(200);
    const expected = bundle.model.predict(Int32Array.of(3, 0), Int32Array.of(1, 2));
    expect((sc.body.scores as number[])[0]).toBeCloseTo(expected[0], 5);
    expect((sc.body.scores as number[])[1]).toBeCloseTo(expected[1], 5);
  });

  it('rejects bad input with a 4xx and a reason', async () => {
    const badK = await get(`/recommend?user=${bundle.users.decode(0)}&k=500`);
    expect(badK.status).toBe(400);
    expect(String(badK.body.message)).toMatch(/k must be <= 20/);
    expect((await get('/recommend?user=1&k=abc')).status).toBe(400);
    expect((await get('/recommend')).status).toBe(400);
    const unknown = await get('/recommend?user=nobody');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/unknown user id "nobody"/);
    expect((await get('/similar?item=nothing')).status).toBe(404);
    const tooMany = await post('/score', JSON.stringify({ pairs: Array.from({ length: 51 }, () => ({ user: '1', item: '1' })) }));
    expect(tooMany.status).toBe(400);
    const huge = await post('/score', JSON.stringify({ pairs: [{ user: 'x'.repeat(5000), item: '1' }] }));
    expect(huge.status).toBe(413);
    expect((await post('/score', '{"pairs": [')).status).toBe(400);
    const unknownPair = await post('/score', JSON.stringify({ pairs: [{ user: bundle.users.decode(0), item: 'missing' }] }));
    expect(unknownPair.status).toBe(404);
    expect(unknownPair.body.message).toMatch(/pairs\[0\]: unknown item id "missing"/);
  });

  it('answers 400, not 404, for ids that are neither strings nor numbers (no coercion of null or booleans)', async () => {
    const item = bundle.items.decode(1);
    for (const bad of [null, true, false, {}, [], '']) {
      const r = await post('/score', JSON.stringify({ pairs: [{ user: bundle.users.decode(0), item }, { user: bad, item }] }));
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(String(r.body.message)).toMatch(/pairs\[1\]\.user must be a non-empty string or a number/);
    }
    const nullItem = await post('/score', JSON.stringify({ pairs: [{ user: bundle.users.decode(0), item: null }] }));
    expect(nullItem.status).toBe(400);
    expect(String(nullItem.body.message)).toMatch(/pairs\[0\]\.item must be a non-empty string or a number, got null/);
    const numeric = await post('/score', JSON.stringify({ pairs: [{ user: Number(bundle.users.decode(0)), item: Number(item) }] }));
    expect(numeric.status).toBe(200);
    expect(numeric.body.scores).toHaveLength(1);
  });

  it('prints nothing on the console while it builds, starts and answers', async () => {
    const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
    const spies = methods.map((m) => vi.spyOn(console, m).mockImplementation(() => undefined));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const quiet = await buildServer(bundle);
      const url = await quiet.listen({ port: 0, host: '127.0.0.1' });
      const r = await fetch(`${url}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairs: [{ user: bundle.users.decode(0), item: bundle.items.decode(0) }] }) });
      expect(r.status).toBe(200);
      await quiet.close();
      const printed = [...spies.map((s) => s.mock.calls), stderr.mock.calls].flat().map((args) => args.map(String).join(' '));
      expect(printed).toEqual([]);
    } finally {
      for (const s of spies) s.mockRestore();
      stderr.mockRestore();
    }
  });

  it('scores large bodies in chunks and releases their turns whatever the outcome', async () => {
    const pairs = Array.from({ length: 50 }, (_, k) => ({ user: bundle.users.decode(k % 60), item: bundle.items.decode((k * 3) % 80) }));
    const results = await Promise.all(Array.from({ length: 5 }, () => post('/score', JSON.stringify({ pairs }))));
    const expected = bundle.model.predict(Int32Array.from(pairs, (p) => bundle.users.encode(p.user)), Int32Array.from(pairs, (p) => bundle.items.encode(p.item)));
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(r.body.scores).toEqual(Array.from(expected));
    }
    expect((await post('/score', JSON.stringify({ pairs: [...pairs.slice(0, 20), { user: 'nobody', item: '1' }] }))).status).toBe(404);
    expect((await post('/score', JSON.stringify({ pairs: [...pairs.slice(0, 20), { user: null, item: '1' }] }))).status).toBe(400);
    expect((await post('/score', JSON.stringify({ pairs, padding: 'x'.repeat(5000) }))).status).toBe(413);
    expect((await post('/score', `${JSON.stringify({ pairs })}]`)).status).toBe(400);
    expect((await get('/health')).body.largeScores).toEqual({ active: 0, queued: 0 });
  });

  it('does not let a slow upload hold the turn of large bodies', async () => {
    const { hostname: host, port } = new URL(base);
    const slow = connect(Number(port), host);
    await once(slow, 'connect');
    slow.write(`POST /score HTTP/1.1\r\nhost: ${host}\r\ncontent-type: application/json\r\ncontent-length: 3000\r\n\r\n{"pairs": [`);
    const pairs = Array.from({ length: 50 }, (_, k) => ({ user: bundle.users.decode(k % 60), item: bundle.items.decode(k % 80) }));
    const r = await post('/score', JSON.stringify({ pairs })); // large too (over 256 characters here)
    expect(r.status).toBe(200);
    expect(r.body.scores).toHaveLength(50);
    slow.destroy();
    expect((await get('/health')).body.largeScores).toEqual({ active: 0, queued: 0 });
  });

  it('limits the request rate per client', async () => {
    const small = await buildServer(bundle, { ratePerMinute: 3 });
    const url = await small.listen({ port: 0, host: '127.0.0.1' });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await fetch(`${url}/health`)).status);
    await small.close();
    expect(codes).toEqual([200, 200, 200, 429, 429]);
  });

  it('holds up under a bounded load: 2000 requests, 20 at a time, all answered', async () => {
    const users = Array.from({ length: 20 }, (_, i) => bundle.users.decode(i));
    const latencies: number[] = [];
    let next = 0;
    const t0 = performance.now();
    const worker = async (): Promise<void> => {
      while (next < 2000) {
        const i = next++;
        const s = performance.now();
        const r = await fetch(`${base}/recommend?user=${users[i % users.length]}&k=10`);
        await r.arrayBuffer();
        expect(r.status).toBe(200);
        latencies.push(performance.now() - s);
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.floor(latencies.length * 0.99)];
    console.log(`serve load: ${(2000 / seconds).toFixed(0)} req/s, p99 ${p99.toFixed(1)} ms (the figures for the README come from bench/serve.mjs)`);
    expect(latencies).toHaveLength(2000);
    expect(Number.isFinite(p99)).toBe(true);
  });
});
