import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FastifyInstance } from 'fastify';
import { generateSynthetic, randomSplit } from '@collab-ts/data';
import { createModel } from '@collab-ts/models';
import { buildServer } from './app.js';

// A bounded load test over loopback: four rounds of autocannon (a child process, 8 connections, 1 s each)
// mixing good requests with bad ones (unknown ids, bad JSON, too many pairs, null ids, bad k, no token, a
// wrong token). No answer may be a 5xx, and the heap the server keeps after a full collection must not grow
// by half between round 2 and round 4 (a leak per request would).
const ROUND = fileURLToPath(new URL('./testing/autocannon-round.mjs', import.meta.url));
const TOKEN = 'load-test-token';
let app: FastifyInstance;
let base: string;
let dir: string;
let requestsFile: string;
let gc: () => void;

beforeAll(async () => {
  setFlagsFromString('--expose-gc');
  gc = runInNewContext('gc') as () => void;
  const { dataset } = generateSynthetic({ users: 300, items: 400, ratings: 12_000, factors: 4, seed: 11 });
  const model = await createModel('dot-bias', { nUsers: dataset.users.size, nItems: dataset.items.size, factors: 16, seed: 1 });
  const { train } = randomSplit(dataset.ratings, { validPct: 0.2, seed: 1 });
  app = await buildServer({ model, users: dataset.users, items: dataset.items, meta: {} }, { token: TOKEN, maxPairs: 200, ratePerMinute: 0 }, train);
  base = await app.listen({ port: 0, host: '127.0.0.1' });

  const auth = { authorization: `Bearer ${TOKEN}` };
  const json = { ...auth, 'content-type': 'application/json' };
  const u = (i: number): string => dataset.users.decode(i);
  const it = (i: number): string => dataset.items.decode(i);
  const pairs = (n: number): { user: string; item: string }[] => Array.from({ length: n }, (_, k) => ({ user: u(k % 300), item: it((k * 7) % 400) }));
  const requests = [
    { method: 'GET', path: `/recommend?user=${u(1)}&k=10`, headers: auth },
    { method: 'POST', path: '/score', headers: json, body: JSON.stringify({ pairs: pairs(50) }) },
    { method: 'GET', path: `/similar?item=${it(2)}&k=10`, headers: auth },
    { method: 'GET', path: '/health' },
    { method: 'GET', path: '/recommend?user=nobody&k=10', headers: auth }, // 404
    { method: 'POST', path: '/score', headers: json, body: '{"pairs": [{"user": ' }, // 400: bad JSON
    { method: 'POST', path: '/score', headers: json, body: JSON.stringify({ pairs: pairs(201) }) }, // 400: too many pairs
    { method: 'POST', path: '/score', headers: json, body: JSON.stringify({ pairs: [{ user: null, item: it(1) }] }) }, // 400
    { method: 'POST', path: '/score', headers: json, body: JSON.stringify({ pairs: [{ user: u(1), item: 'missing' }] }) }, // 404
    { method: 'GET', path: `/recommend?user=${u(3)}&k=abc`, headers: auth }, // 400
    { method: 'GET', path: `/recommend?user=${u(3)}&k=10` }, // 401: no token
    { method: 'POST', path: '/score', headers: { 'content-type': 'application/json', authorization: 'Bearer nope' }, body: '{}' }, // 401
    { method: 'GET', path: '/nowhere', headers: auth }, // 404
  ];
  dir = mkdtempSync(join(tmpdir(), 'collab-serve-load-'));
  requestsFile = join(dir, 'requests.json');
  writeFileSync(requestsFile, JSON.stringify(requests));
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Round {
  total: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  '5xx': number;
  rps: number;
}

function round(seconds: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ROUND, base, requestsFile, String(seconds), '8'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Round) : reject(new Error(`autocannon round exited with ${code}: ${err}`))));
  });
}

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('collab serve under a bounded mixed load', () => {
  it('answers good and bad requests alike without a 5xx, and keeps its memory flat across rounds', async () => {
    const rounds: Round[] = [];
    const heap: number[] = [];
    for (let r = 0; r < 4; r++) {
      rounds.push(await round(1));
      heap.push(heapAfterGc());
    }
    const mb = (b: number): string => (b / 2 ** 20).toFixed(1);
    console.log(
      `serve mixed load: ${rounds.map((r) => `${r.total} requests (${Math.round(r.rps)}/s) ${JSON.stringify(r.statusCodes)}`).join('; ')}; heap after gc ${heap.map(mb).join(' / ')} MB`,
    );
    for (const r of rounds) {
      expect(r['5xx']).toBe(0);
      expect(Object.keys(r.statusCodes).filter((c) => Number(c) >= 500)).toEqual([]);
      expect(r.errors).toBe(0);
      expect(r.timeouts).toBe(0);
      expect(r.total).toBeGreaterThan(100);
      for (const code of ['200', '400', '401', '404']) expect(r.statusCodes[code], code).toBeGreaterThan(0);
    }
    expect(heap[3] / heap[1]).toBeLessThan(1.5);
  });
});
