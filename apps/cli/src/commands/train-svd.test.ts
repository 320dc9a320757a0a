import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '@collab-ts/data';
import { writeRatingsCsv } from '@collab-ts/data/node';
import { runProcess } from '@collab-ts/tooling/test/process';

const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

describe('collab train --model svd --json', () => {
  it('reports each epoch with its seconds and losses and the validation RMSE, on one and on two threads, and with SVD++', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'train-svd-'));
    const csv = join(dir, 'ratings.csv');
    const { dataset } = generateSynthetic({ users: 300, items: 200, ratings: 15000, seed: 4, titles: false });
    writeRatingsCsv(dataset.ratings, { users: dataset.users, items: dataset.items }, csv);
    const run = async (threads: number, implicit = false) => {
      const r = await runProcess(process.execPath, [BIN, 'train', '--data', csv, '--model', 'svd', '--implicit', String(implicit), '--epochs', '6', '--threads', String(threads), '--json', '-q']);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { epochs: { epoch: number; seconds: number; train_loss: number; valid_loss: number }[]; valid: { rmse: number } };
    };
    const [one, two, plusPlus] = await Promise.all([run(1), run(2), run(2, true)]);
    for (const out of [one, two, plusPlus]) {
      expect(out.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
      for (const e of out.epochs) {
        expect(e.seconds).toBeGreaterThan(0);
        expect(e.train_loss).toBeGreaterThan(0);
        expect(e.valid_loss).toBeGreaterThan(0);
      }
      // the per-epoch validation loss is the unclipped MSE; the final figure clips, so it can only be as good or better
      expect(out.valid.rmse).toBeLessThanOrEqual(Math.sqrt(out.epochs[5].valid_loss) + 1e-9);
    }
    // real worker threads (the built package's svd-tasks module) land in the one-thread run's quality band
    expect(one.valid.rmse).toBeLessThan(0.75);
    expect(Math.abs(two.valid.rmse - one.valid.rmse)).toBeLessThan(0.02);
    // SVD++ (one thread whatever --threads says) reports the same way, in the same quality band
    expect(plusPlus.valid.rmse).toBeLessThan(0.75);
  });
});
