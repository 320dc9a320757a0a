import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { generateSynthetic } from '@collab-ts/data';
import { createModel } from '@collab-ts/models';
import type { ModelBundle } from '@collab-ts/models';
import { openJsonLog } from './access-log.js';
import { buildServer, parseCorsOrigins } from './app.js';
import type { ServeOptions } from './app.js';
import { checkBearer } from './auth.js';

let bundle: ModelBundle;
let app: FastifyInstance | null = null;

beforeAll(async () => {
  const { dataset } = generateSynthetic({ users: 20, items: 30, ratings: 300, factors: 4, seed: 4 });
  const model = await createModel('dot-bias', { nUsers: dataset.users.size, nItems: dataset.items.size, factors: 4, seed: 1 });
  bundle = { model, users: dataset.users, items: dataset.items, meta: {} };
});

afterEach(async () => {
  await app?.close();
  app = null;
});

async function start(options: ServeOptions): Promise<string> {
  app = await buildServer(bundle, { ratePerMinute: 0, ...options });
  return app.listen({ port: 0, host: '127.0.0.1' });
}

describe('--token: bearer authentication', () => {
  it('guards every route but /health with 401 and a Bearer challenge', async () => {
    const base = await start({ token: 'tok-123' });
    const rec = `/recommend?user=${bundle.users.decode(0)}&k=2`;
    const none = await fetch(base + rec);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="collab"');
    expect(((await none.json()) as { message: string }).message).toMatch(/Authorization: Bearer <token>/);
    const wrong = await fetch(base + rec, { headers: { authorization: 'Bearer tok-124' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer realm="collab", error="invalid_token"');
    expect((await fetch(base + rec, { headers: { authorization: 'Basic dG9rLTEyMw==' } })).status).toBe(401);
    expect((await fetch(base + rec, { headers: { authorization: 'Bearer tok-123' } })).status).toBe(200);
    expect((await fetch(`${base}/similar?item=${bundle.items.decode(0)}`, { headers: { authorization: 'bearer tok-123' } })).status).toBe(200);
    expect((await fetch(`${base}/score`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(401);
    expect((await fetch(`${base}/nowhere`)).status).toBe(401);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('compares tokens without saying why they differ', () => {
    expect(checkBearer('Bearer abc', 'abc')).toBeNull();
    expect(checkBearer('Bearer abcd', 'abc')?.message).toBe('the bearer token is not valid');
    expect(checkBearer(undefined, 'abc')?.challenge).toBe('Bearer realm="collab"');
    expect(checkBearer('Bearer', 'abc')?.challenge).toBe('Bearer realm="collab"');
  });
});

describe('--cors', () => {
  it('parses * or a list of origins, and rejects what is not an origin', () => {
    expect(parseCorsOrigins('*')).toBe('*');
    expect(parseCorsOrigins('https://a.example, http://localhost:5173')).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(() => parseCorsOrigins('https://a.example/path')).toThrow(/not an origin/);
    expect(() => parseCorsOrigins('a.example')).toThrow(/not an origin/);
    expect(() => parseCorsOrigins(',')).toThrow(/needs/);
  });

  it('answers preflights without the token and labels answers, 401s included, for allowed origins only', async () => {
    const base = await start({ token: 'tok', cors: ['https://app.example'] });
    const pre = await fetch(`${base}/score`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const denied = await fetch(`${base}/recommend?user=1`, { headers: { origin: 'https://app.example' } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const elsewhere = await fetch(`${base}/health`, { headers: { origin: 'https://evil.example' } });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows any origin with *, and adds no CORS headers by default', async () => {
    let base = await start({ cors: '*' });
    expect((await fetch(`${base}/health`, { headers: { origin: 'https://x.example' } })).headers.get('access-control-allow-origin')).toBe('*');
    await app!.close();
    base = await start({});
    expect((await fetch(`${base}/health`, { headers: { origin: 'https://x.example' } })).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('--log: JSON-lines access log', () => {
  it('writes method, url, status, ms and time for every request, and never the token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'collab-serve-log-'));
    try {
      const file = join(dir, 'access.log');
      const log = openJsonLog(file);
      const base = await start({ token: 'very-secret-token', accessLog: log });
      const auth = { authorization: 'Bearer very-secret-token' };
      await (await fetch(`${base}/health`)).arrayBuffer();
      await (await fetch(`${base}/recommend?user=${bundle.users.decode(1)}&k=2`, { headers: auth })).arrayBuffer();
      await (await fetch(`${base}/recommend?user=nobody`, { headers: auth })).arrayBuffer();
      await (await fetch(`${base}/score`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer wrong-token' }, body: '{}' })).arrayBuffer();
      await app!.close();
      app = null;
      await log.close();
      const text = readFileSync(file, 'utf8');
      expect(text).not.toMatch(/very-secret-token|wrong-token/);
      const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => [l.method, l.url, l.status])).toEqual([
        ['GET', '/health', 200],
        ['GET', `/recommend?user=${bundle.users.decode(1)}&k=2`, 200],
        ['GET', '/recommend?user=nobody', 404],
        ['POST', '/score', 401],
      ]);
      for (const l of lines) {
        expect(Object.keys(l)).toEqual(['time', 'method', 'url', 'status', 'ms']);
        expect(Number.isNaN(Date.parse(String(l.time)))).toBe(false);
        expect(typeof l.ms).toBe('number');
      }
      expect(() => openJsonLog(join(dir, 'missing', 'access.log'))).toThrow(/ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
