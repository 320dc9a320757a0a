import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Learner } from '@collab-ts/train';
import type { Output } from './output.js';
import { createProgress, payloadDefaults } from './progress.js';
import { progressCallback } from '../training.js';

/** A stream that says it is a terminal and keeps every frame written to it. */
function fakeTty(): { stream: Writable & { isTTY: boolean; columns: number }; text: () => string } {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _enc, done) {
        chunks.push(String(chunk));
        done();
      },
    }),
    { isTTY: true, columns: 120 },
  );
  return { stream, text: () => chunks.join('') };
}

const interactive: Output = { interactive: true, jsonMode: false, quiet: false, result() {}, json() {}, log() {}, warn() {} };
const learner = {} as Learner;

describe('progress bars', () => {
  it('knows the payload placeholders of a format', () => {
    expect(payloadDefaults('epoch {epoch} |{bar}| {percentage}% | ETA {eta_formatted} | loss {loss}')).toEqual({ epoch: '', loss: '' });
  });

  it('never draws a raw placeholder, not even in the frame drawn by start', () => {
    const { stream, text } = fakeTty();
    const bar = createProgress(interactive, '{label} {value}/{total} {extra} {custom}', stream);
    bar.start(10, 'download');
    bar.update(5);
    bar.stop();
    expect(text()).toContain('download 0/10');
    expect(text()).not.toMatch(/\{\w+\}/);
  });

  it('the training bar shows the epoch and loss from the first frame of every epoch', () => {
    const { stream, text } = fakeTty();
    const cb = progressCallback(interactive, stream);
    for (const epoch of [0, 1]) {
      cb.beforeEpoch!(learner, epoch);
      for (let batch = 0; batch < 3; batch++) cb.afterStep!(learner, { epoch, step: epoch * 3 + batch, batch, batches: 3, loss: 1.5 - batch * 0.1, lr: 1e-3, mom: 0.9 });
      void cb.afterEpoch!(learner, { epoch, epochs: 2, trainLoss: 1, validLoss: null, metrics: null, seconds: 0.1 });
    }
    const frames = text();
    expect(frames).not.toMatch(/\{\w+\}/);
    expect(frames).toMatch(/epoch 0 \|.*\| loss -/);
    expect(frames).toMatch(/epoch 1 \|.*\| loss 1\.\d{4}/);
  });

  it('draws nothing when stderr is not a terminal', () => {
    const { stream, text } = fakeTty();
    const bar = createProgress({ ...interactive, interactive: false }, '{label}', stream);
    bar.start(1, 'x');
    bar.stop();
    expect(text()).toBe('');
  });
});
