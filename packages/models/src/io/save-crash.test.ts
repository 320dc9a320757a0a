import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Vocabulary } from '@collab-ts/core';
import { createModel } from '../create.js';
import { loadModel, saveModel } from '../node.js';

const CHILD = fileURLToPath(new URL('./save-child.mjs', import.meta.url));
const vocab = (kind: 'user' | 'item', n: number) => new Vocabulary(kind, Array.from({ length: n }, (_, i) => `${kind[0]}${i}`));
const all = { users: Int32Array.from({ length: 12 }, (_, j) => Math.floor(j / 4)), items: Int32Array.from({ length: 12 }, (_, j) => j % 4) };

/** Runs the child asynchronously (the worker is never blocked); resolves with its exit code, signal and output. */
function child(args: string[], env: Record<string, string> = {}, onLine?: (line: string, stdin: NodeJS.WritableStream) => void) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    const p = spawn(process.execPath, [CHILD, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    p.stdout.on('data', (d: Buffer) => onLine?.(d.toString().trim(), p.stdin));
    p.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

async function scores(dir: string): Promise<number[]> {
  return Array.from((await loadModel(dir)).model.predict(all.users, all.items));
}

async function scoresOfSeed(seed: number): Promise<number[]> {
  const m = await createModel('dot', { nUsers: 3, nItems: 4, factors: 2, seed, initStd: 0.5 });
  return Array.from(m.predict(all.users, all.items));
}

describe('saveModel under faults', () => {
  for (const step of ['payload-written', 'manifest-tmp-written', 'manifest-renamed', 'cleaned']) {
    it(`a save killed at "${step}" leaves the complete old or new model, and the next save recovers`, async () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'crash-')), 'model');
      const oldModel = await createModel('dot', { nUsers: 3, nItems: 4, factors: 2, seed: 1, initStd: 0.5 });
      saveModel(dir, oldModel, { users: vocab('user', 3), items: vocab('item', 4) });
      const r = await child(['save', dir, '2'], { COLLAB_CRASH_AT: step });
      expect(r.signal).toBe('SIGKILL');
      const got = await scores(dir);
      const before = await scoresOfSeed(1);
      const after = await scoresOfSeed(2);
      expect([JSON.stringify(before), JSON.stringify(after)]).toContain(JSON.stringify(got));
      if (step === 'manifest-renamed' || step === 'cleaned') expect(got).toEqual(after);
      else expect(got).toEqual(before);
      // the killed writer's lock and files are recovered by the next save
      const third = await createModel('dot', { nUsers: 3, nItems: 4, factors: 2, seed: 3, initStd: 0.5 });
      saveModel(dir, third, { users: vocab('user', 3), items: vocab('item', 4) });
      expect(await scores(dir)).toEqual(await scoresOfSeed(3));
      const files = readdirSync(dir).sort();
      expect(files.length).toBe(2);
      expect(files[0]).toBe('model.json');
      expect(files[1]).toMatch(/^weights\.[0-9a-z]+\.safetensors$/);
    });
  }

  it('a second saver on the same folder fails with a clear message while the first holds it', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'race-')), 'model');
    const m = await createModel('dot', { nUsers: 3, nItems: 4, factors: 2, seed: 1, initStd: 0.5 });
    saveModel(dir, m, { users: vocab('user', 3), items: vocab('item', 4) });
    let second: Promise<{ code: number | null; stderr: string }> | null = null;
    const holder = child(['hold-lock', dir], {}, (line, stdin) => {
      if (line !== 'locked') return;
      second = child(['save', dir, '2']).then((r) => {
        stdin.end();
        return r;
      });
    });
    expect((await holder).code).toBe(0);
    const r = await second!;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is being written by another collab process \(pid \d+\)/);
    expect(await scores(dir)).toEqual(await scoresOfSeed(1));
    // once released, a save goes through
    expect((await child(['save', dir, '2'])).code).toBe(0);
    expect(await scores(dir)).toEqual(await scoresOfSeed(2));
  });
});
