import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { generateSynthetic } from '@collab-ts/data';
import { createModel } from '@collab-ts/models';
import { buildServer } from './app.js';

// Eight clients posting 10,000-pair /score bodies used to hold the event loop for a whole request each, so a
// health check waited behind all of them (1 ms became 0.4 s). Scoring now runs in chunks that yield to the
// event loop, and one large body at a time is parsed and scored. The server runs here, the eight
// clients in a child process (their work must not share the server's event loop); over loopback, bounded
// (3 + 6 + 8 x 4 + 6 large requests, within the default rate limit).
const CLIENTS = fileURLToPath(new URL('./testing/score-clients.mjs', import.meta.url));
let app: FastifyInstance;
let base: string;
let dir: string;
let bodyFile: string;

beforeAll(async () => {
  const { dataset } = generateSynthetic({ users: 943, items: 1682, ratings: 20_000, factors: 8, seed: 3 });
  const model = await createModel('dot-bias', { nUsers: dataset.users.size, nItems: dataset.items.size, factors: 50, seed: 1 });
  app = await buildServer({ model, users: dataset.users, items: dataset.items, meta: {} });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  const pairs = Array.from({ length: 10_000 }, (_, i) => ({ user: dataset.users.decode(i % dataset.users.size), item: dataset.items.decode((i * 7) % dataset.items.size) }));
  dir = mkdtempSync(join(tmpdir(), 'collab-serve-latency-'));
  bodyFile = join(dir, 'body.json');
  writeFileSync(bodyFile, JSON.stringify({ pairs }));
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function health(): Promise<number> {
  const t = performance.now();
  const r = await fetch(`${base}/health`);
  await r.arrayBuffer();
  expect(r.status).toBe(200);
  return performance.now() - t;
}

describe('collab serve under concurrent large /score requests', () => {
  it('keeps /health fast: its median latency stays under the time of one large request alone', async () => {
    const child = spawn(process.execPath, [CLIENTS, base, bodyFile, '8', '4'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async (): Promise<Record<string, unknown>> => JSON.parse(String((await lines.next()).value)) as Record<string, unknown>;

    const alone = (await next()).alone as number[];
    expect((await next()).event).toBe('load-start');
    let loading = true;
    const end = next().then((line) => {
      loading = false;
      return line;
    });
    const underLoad: number[] = [];
    while (loading && underLoad.length < 2000) underLoad.push(await health());
    const done = await end;
    expect(done.statuses).toEqual({ 200: 3 + 6 + 8 * 4 });
    alone.push(...((await next()).alone as number[])); // the reference is taken before and after the load
    expect(await exited).toBe(0);

    const big = median(alone);
    const h = median(underLoad);
    console.log(
      `one 10k-pair /score alone: median ${big.toFixed(1)} ms; /health under 8 clients posting them: median ${h.toFixed(1)} ms, max ${Math.max(...underLoad).toFixed(1)} ms over ${underLoad.length} probes (ratio ${(h / big).toFixed(2)})`,
    );
    expect(underLoad.length).toBeGreaterThanOrEqual(5);
    // Before chunking, the median was 3 to 20 times one large request (and only 2 or 3 probes got through);
    // now about a sixth of it on a busy 2-core machine.
    expect(h / big).toBeLessThan(1);
  });
});
