import { describe, expect, it } from 'vitest';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DivergenceError } from '@collab-ts/core';
import { Learner } from './learner.js';
import { EarlyStopping } from './early-stopping.js';
import { SaveBest } from './save-best.js';
import { fileCheckpointer } from './checkpoint.js';
import { EPOCH_TABLE_HEADER, ProgressTable } from './progress-table.js';
import { fixture, modelFor } from './fixture.test-helpers.js';

const { ds, split } = fixture();

describe('Learner', () => {
  it('gives the same losses for the same seed, different ones for another seed', async () => {
    const run = async (seed: number): Promise<number[]> => {
      const learn = new Learner({ model: await modelFor(ds, 'dot-bias'), train: split.train, valid: split.valid, seed });
      await learn.fitOneCycle(2, 5e-3, { wd: 0.1 });
      return learn.recorder.losses;
    };
    const a = await run(42);
    const b = await run(42);
    const c = await run(7);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('fits: validation loss falls and the recorder holds every step with the one-cycle schedule', async () => {
    const learn = new Learner({ model: await modelFor(ds, 'dot-bias'), train: split.train, valid: split.valid });
    const before = learn.validate()!.mse;
    const r = await learn.fitOneCycle(3, 5e-3, { wd: 0.1 });
    const steps = Math.ceil(split.train.ratings.length / 64);
    expect(learn.recorder.losses).toHaveLength(3 * steps);
    expect(r.epochs).toHaveLength(3);
    expect(r.valid!.mse).toBeLessThan(before * 0.5);
    expect(r.valid!.rmse).toBeCloseTo(Math.sqrt(r.valid!.mse), 10);
    const lrs = learn.recorder.lrs;
    const peak = lrs.indexOf(Math.max(...lrs));
    expect(peak / lrs.length).toBeCloseTo(0.25, 2);
    expect(lrs[0]).toBeCloseTo(5e-3 / 25, 8);
    expect(Math.max(...lrs)).toBeCloseTo(5e-3, 5);
    expect(lrs[lrs.length - 1]).toBeLessThan(5e-3 / 1000);
    expect(learn.recorder.moms[0]).toBeCloseTo(0.95, 5);
    expect(learn.recorder.moms[peak]).toBeCloseTo(0.85, 3);
  });

  it('prints a progress table through the writer', async () => {
    const lines: string[] = [];
    const learn = new Learner({ model: await modelFor(ds, 'dot'), train: split.train, valid: split.valid, callbacks: [new ProgressTable((l) => lines.push(l))] });
    await learn.fit(2, 1e-3);
    expect(lines[0]).toBe(EPOCH_TABLE_HEADER);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^1\s+\d+\.\d{6}\s+\d+\.\d{6}\s+\d+\.\d+s$/);
  });

  it('stops with a clear error on a diverging loss and keeps the last good parameters', async () => {
    const model = await modelFor(ds, 'dot', { yRange: null });
    const learn = new Learner({ model, train: split.train, valid: split.valid, optimizer: 'sgd' });
    const start = model.params.clone();
    const err = await learn.fit(3, 1e4).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DivergenceError);
    expect((err as Error).message).toMatch(/diverged.*lower learning rate/);
    for (const p of model.params.list()) {
      expect(p.data.every(Number.isFinite)).toBe(true);
      expect(p.data).toEqual(start.get(p.name).data);
    }
  });

  it('early stopping ends the fit once the validation loss stops improving', async () => {
    const stop = new EarlyStopping({ patience: 1, minDelta: 10 });
    const learn = new Learner({ model: await modelFor(ds, 'dot-bias'), train: split.train, valid: split.valid, callbacks: [stop] });
    const r = await learn.fit(5, 1e-3, { wd: 0.1 });
    expect(r.epochs).toHaveLength(2);
    expect(stop.stoppedAt).toBe(1);
  });

  it('save-best is called on each new best validation loss', async () => {
    const saved: number[] = [];
    const learn = new Learner({ model: await modelFor(ds, 'dot-bias'), train: split.train, valid: split.valid, callbacks: [new SaveBest((_l, info) => void saved.push(info.epoch))] });
    await learn.fitOneCycle(3, 5e-3, { wd: 0.1 });
    expect(saved[0]).toBe(0);
    expect(saved).toEqual([...saved].sort());
    expect(saved.length).toBeGreaterThanOrEqual(2);
  });

  it('resumes an interrupted run from its checkpoint and ends where an uninterrupted run ends', async () => {
    const full = new Learner({ model: await modelFor(ds, 'dot-bias'), train: split.train, valid: split.valid });
    await full.fitOneCycle(4, 5e-3, { wd: 0.1 });

    const dir = join(mkdtempSync(join(tmpdir(), 'ckpt-')), 'run');
    const crash = { name: 'crash', afterEpoch: (_l: Learner, info: { epoch: number }) => { if (info.epoch === 1) throw new Error('power cut'); } };
    const first = new Learner({ model: await modelFor(ds, 'dot-bias'), train: split.train, valid: split.valid, checkpoint: fileCheckpointer(dir), callbacks: [crash] });
    await expect(first.fitOneCycle(4, 5e-3, { wd: 0.1 })).rejects.toThrow('power cut');
    expect(existsSync(join(dir, 'checkpoint.safetensors'))).toBe(true);

    const model = await modelFor(ds, 'dot-bias');
    const resumed = new Learner({ model, train: split.train, valid: split.valid, checkpoint: fileCheckpointer(dir) });
    const r = await resumed.fitOneCycle(4, 5e-3, { wd: 0.1, resume: true });
    expect(r.epochs.map((e) => e.epoch)).toEqual([2, 3]);
    const want = full.recorder.epochs.slice(2).map((e) => e.validLoss!);
    r.epochs.forEach((e, i) => expect(e.validLoss!).toBeCloseTo(want[i], 5));
    for (const p of model.params.list()) {
      const q = full.model.params.get(p.name).data;
      for (let i = 0; i < q.length; i += 97) expect(p.data[i]).toBeCloseTo(q[i], 5);
    }
  });

  it('refuses to resume a checkpoint written with other options, naming them', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ckpt-')), 'run');
    const options = { seed: 42, lr: 5e-3, epochs: 3, validPct: 0.2 };
    const crash = { name: 'crash', afterEpoch: () => { throw new Error('power cut'); } };
    const first = new Learner({ model: await modelFor(ds, 'dot-bias'), train: split.train, checkpoint: fileCheckpointer(dir, { options }), callbacks: [crash] });
    await expect(first.fitOneCycle(3, 5e-3, { wd: 0.1 })).rejects.toThrow('power cut');
    const other = new Learner({ model: await modelFor(ds, 'dot-bias'), train: split.train, checkpoint: fileCheckpointer(dir, { options: { ...options, seed: 7, lr: 1e-2 } }) });
    await expect(other.fitOneCycle(3, 1e-2, { wd: 0.1, resume: true })).rejects.toThrow(
      /cannot resume: the checkpoint in .* was trained with lr 0\.005, seed 42, this run has lr 0\.01, seed 7/,
    );
    const same = new Learner({ model: await modelFor(ds, 'dot-bias'), train: split.train, checkpoint: fileCheckpointer(dir, { options }) });
    const r = await same.fitOneCycle(3, 5e-3, { wd: 0.1, resume: true });
    expect(r.epochs.map((e) => e.epoch)).toEqual([1, 2]);
  });

  it('rejects bad arguments with usage errors', async () => {
    const model = await modelFor(ds, 'dot');
    expect(() => new Learner({ model, train: split.train, bs: 0 })).toThrow(/batch size/);
    const learn = new Learner({ model, train: split.train });
    await expect(learn.fit(0, 1e-3)).rejects.toThrow(/epochs/);
  });
});
