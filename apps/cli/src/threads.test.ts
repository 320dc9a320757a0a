// --threads: one option on every command that can use several cores, and the same results for any number of
// threads. These run the built CLI, whose worker threads import the built worker modules (dist/workers/tasks.js
// and @collab-ts/models' dist/ials-tasks.js), so the two-thread runs below really run on worker threads.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSynthetic } from '@collab-ts/data';
import { writeRatingsCsv } from '@collab-ts/data/node';
import { mapLimit, runProcess } from '@collab-ts/tooling/test/process';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'collab-threads-'));
const csv = join(dir, 'ratings.csv');

async function collab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runProcess(process.execPath, [BIN, ...args], { env: { ...process.env }, timeout: 240_000 });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the same command with --threads 1 and --threads 2 (two at a time at most). */
async function oneAndTwo(args: (threads: string) => string[]) {
  const [one, two] = await mapLimit(['1', '2'], 2, (t) => collab(...args(t)));
  expect(one.code, one.stderr).toBe(0);
  expect(two.code, two.stderr).toBe(0);
  return { one, two };
}

/** A saved model's weights file. */
function weights(model: string): Buffer {
  return readFileSync(join(model, readdirSync(model).find((f) => f.startsWith('weights'))!));
}

beforeAll(async () => {
  // more than one item tile (1024 items) and enough users for several ranges per thread
  const { dataset } = generateSynthetic({ users: 400, items: 1300, ratings: 12_000, factors: 4, seed: 21 });
  await writeRatingsCsv(dataset.ratings, { users: dataset.users, items: dataset.items }, csv);
});

describe('--threads', () => {
  it('is a usage error (exit 2) unless a positive integer, on every command that takes it', async () => {
    const runs = await mapLimit(
      [
        ['recommend', '--model', dir, '--all', '--threads', '0'],
        ['cv', '--data', csv, '--threads', 'two'],
        ['evaluate', '--model', dir, '--data', csv, '--threads', '1.5'],
        ['train', '--data', csv, '--threads', '-1'],
        ['tune', '--data', csv, '--model', 'ials', '--grid', 'factors=4', '--threads', '0'],
      ],
      2,
      (a) => collab(...a),
    );
    for (const r of runs) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--threads <n>.*expected a positive integer/);
    }
    expect((await collab('recommend', '--help')).stdout).toMatch(/--threads <n>\s+worker threads \(default: all cores\)/);
  });

  it('trains ials to the same weights, and evaluates, recommends and cross-validates to the same figures, on 1 and 2 threads', async () => {
    const model = (t: string) => join(dir, `ials-${t}`);
    await oneAndTwo((t) => ['train', '--data', csv, '--model', 'ials', '--factors', '8', '--iterations', '4', '--out', model(t), '--threads', t, '-q']);
    expect(weights(model('1')).equals(weights(model('2')))).toBe(true);

    const ev = await oneAndTwo((t) => ['evaluate', '--model', model('1'), '--data', csv, '--metrics', 'ndcg@10,hit@5,coverage@10', '--sampled', '30', '--threads', t, '--json']);
    expect(JSON.parse(ev.two.stdout)).toEqual(JSON.parse(ev.one.stdout));
    expect(JSON.parse(ev.one.stdout).metrics['ndcg@10']).toBeGreaterThan(0);

    const rec = await oneAndTwo((t) => ['recommend', '--model', model('1'), '--all', '-k', '5', '--threads', t]);
    expect(rec.two.stdout).toBe(rec.one.stdout);
    expect(rec.one.stdout.trim().split('\n')).toHaveLength(1 + 400 * 5);

    const cv = await oneAndTwo((t) => ['cv', '--data', csv, '--folds', '3', '--models', 'ials,dot-bias', '--factors', '8', '--epochs', '1', '--metrics', 'rmse,ndcg@10', '--threads', t, '--json']);
    const figures = (out: string) => (JSON.parse(out) as { rows: { name: string; mean: unknown; folds: { metrics: unknown }[] }[] }).rows.map((r) => ({ name: r.name, mean: r.mean, folds: r.folds.map((f) => f.metrics) }));
    expect(figures(cv.two.stdout)).toEqual(figures(cv.one.stdout));
    expect(figures(cv.one.stdout).map((r) => r.name)).toEqual(['popularity', 'ials', 'dot-bias']);
  });
});
