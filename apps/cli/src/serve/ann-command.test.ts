import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { UsageError, userItemMatrix } from '@collab-ts/core';
import { generateSynthetic } from '@collab-ts/data';
import { createModel, fitRecommender } from '@collab-ts/models';
import type { CollabModel } from '@collab-ts/models';
import { saveModel } from '@collab-ts/models/node';
import { serveCommand } from '../commands/serve.js';
import type { ServeDeps } from '../commands/serve.js';

// `collab serve --ann` as a deployer runs it (the built CLI in a child process, its JSON log on stdout), and its
// flags and failure paths in process.
const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const { dataset } = generateSynthetic({ users: 40, items: 300, ratings: 3000, factors: 4, seed: 11 });
const vocab = { users: dataset.users, items: dataset.items };
let dir: string;
let modelDir: string;
let knnDir: string;
let model: CollabModel;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build the CLI first (pnpm --filter @collab-ts/cli build)`);
  dir = mkdtempSync(join(tmpdir(), 'collab-serve-ann-'));
  modelDir = join(dir, 'model');
  knnDir = join(dir, 'knn');
  model = await createModel('dot-bias', { nUsers: dataset.users.size, nItems: dataset.items.size, factors: 6, seed: 3 });
  model.history = userItemMatrix(dataset.ratings, dataset.users.size, dataset.items.size);
  saveModel(modelDir, model, vocab);
  const knn = await fitRecommender('item-knn', { train: dataset.ratings, nUsers: dataset.users.size, nItems: dataset.items.size }, {});
  saveModel(knnDir, knn, vocab);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `collab serve --ann` until it listens: its `listening` event, its URL, stderr so far, and how to stop it. */
async function serveAnn(...args: string[]) {
  const child = spawn(process.execPath, [BIN, 'serve', '--model', modelDir, '--port', '0', '--log', '-', '--ann', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COLLAB_SERVE_TOKEN: '' } });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error(`collab serve --ann closed its log: ${err}`);
  const listening = JSON.parse(first.value) as { event: string; url: string; ann: Record<string, unknown> };
  return {
    listening,
    stderr: () => err,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The serve command in process, its output swallowed, with `deps` injected. */
function parse(args: string[], deps: ServeDeps = {}): Promise<unknown> {
  const cmd = serveCommand(deps)
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  return cmd.parseAsync(args, { from: 'user' });
}

describe('collab serve --ann', () => {
  it('answers /recommend from the index with seen items hidden, and reports its recall@10 in the log and /health', async () => {
    const s = await serveAnn();
    const { ann } = s.listening;
    expect(s.listening.event).toBe('listening');
    expect(ann).toMatchObject({ library: 'usearch', metric: 'inner-product', items: 300, dimensions: 7, connectivity: 16, expansionAdd: 64, expansionSearch: 128, source: 'built', recallUsers: 40 });
    expect(ann.recallAt10).toBeGreaterThanOrEqual(0.9);
    expect(ann.recallAt10).toBeLessThanOrEqual(1);
    expect(s.stderr()).toMatch(/ann: usearch HNSW \(inner product\) over 300 items, built and cached in .*ann-usearch\.[0-9a-f]+\.index in [\d.]+ s; recall@10 [01]\.\d{3} against the exact scan on 40 users/);
    const health = (await (await fetch(`${s.listening.url}/health`)).json()) as { ann: unknown };
    expect(health.ann).toEqual(ann);

    let overlap = 0;
    for (const u of [0, 9, 23]) {
      const id = dataset.users.decode(u);
      const body = (await (await fetch(`${s.listening.url}/recommend?user=${id}&k=10`)).json()) as { recommendations: { item: string; score: number }[] };
      const got = body.recommendations.map((r) => dataset.items.encode(r.item));
      expect(got).toHaveLength(10);
      const seen = new Set(model.history!.indices.subarray(model.history!.offsets[u], model.history!.offsets[u + 1]));
      for (const i of got) expect(seen.has(i)).toBe(false);
      // scores on the rating scale, as the exact path reports them (predict of the pair)
      const predicted = model.predict(new Int32Array(10).fill(u), Int32Array.from(got));
      expect(body.recommendations.map((r) => r.score)).toEqual(Array.from(predicted));
      const exact = new Set(model.recommend(u, { k: 10 }).map((r) => r.item));
      overlap += got.filter((i) => exact.has(i)).length;
    }
    expect(overlap / 30).toBeGreaterThanOrEqual(0.8);
    expect(await s.stop()).toBe(0);

    // a second start reads the index from beside the model
    const again = await serveAnn('--ann-expansion-search', '32', '--ann-recall-users', '10');
    expect(again.listening.ann).toMatchObject({ source: 'cache', expansionSearch: 32, recallUsers: 10, cacheFile: ann.cacheFile });
    expect(await again.stop()).toBe(0);
  });

  it('says what to install, exit 2, when the optional library is missing, before reading the model', async () => {
    const missing = () => Promise.reject(Object.assign(new Error("Cannot find package 'usearch'"), { code: 'ERR_MODULE_NOT_FOUND' }));
    const err = await parse(['--model', join(dir, 'no-such-model'), '--ann', '-q'], { loadAnn: missing }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(/^--ann needs the optional package usearch, which could not be loaded \(Cannot find package 'usearch'\): run `npm install usearch@~2\.25\.3`/);
  });

  it('refuses a model without factor tables, and tuning flags without --ann or out of range', async () => {
    await expect(parse(['--model', knnDir, '--ann', '-q'])).rejects.toThrow(/--ann needs a model whose scores are factor dot products; item-knn has none/);
    await expect(parse(['--model', modelDir, '--ann-connectivity', '8'])).rejects.toThrow(new UsageError('--ann-connectivity only applies with --ann'));
    await expect(parse(['--model', modelDir, '--no-ann-cache'])).rejects.toThrow(new UsageError('--no-ann-cache only applies with --ann'));
    for (const [flag, value] of [
      ['--ann-connectivity', '1'],
      ['--ann-expansion-search', '0'],
      ['--ann-expansion-add', 'many'],
      ['--ann-recall-users', '2.5'],
      ['--ann-threads', '-1'],
    ]) {
      const err = await parse(['--model', modelDir, '--ann', flag, value]).catch((e: unknown) => e);
      expect(err, `${flag} ${value}`).toBeInstanceOf(CommanderError);
      expect((err as CommanderError).code).toBe('commander.invalidArgument');
      expect((err as CommanderError).message).toMatch(/expected an integer from \d+ to \d+/);
    }
  });
});
