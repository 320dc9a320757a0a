import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runProcess } from '@collab-ts/tooling/test/process';
import { UsageError } from '../errors.js';
import { registerWorkerTasks, splitRange } from '../worker-tasks.js';
import { sharedArray, toShared, isShared } from '../shared-arrays.js';
import { registerErrorClass, reviveError } from './error-transfer.js';
import { WorkerPool, withWorkerPool } from './worker-pool.js';
// @ts-expect-error: a plain JavaScript fixture without types
import { tasks, FixtureError } from './fixtures/tasks.mjs';

const FIXTURE = new URL('./fixtures/tasks.mjs', import.meta.url);
registerWorkerTasks(FIXTURE, tasks);
registerErrorClass(FixtureError);

const pools: WorkerPool[] = [];
function pool(threads: number): WorkerPool {
  const p = new WorkerPool({ threads });
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

function data(n: number): Float64Array {
  const a = sharedArray(Float64Array, n);
  for (let i = 0; i < n; i++) a[i] = Math.sin(i) * 1e3 + 1 / (i + 1);
  return a;
}

describe('WorkerPool', () => {
  it('gives the same results inline (threads 1) and on worker threads, in input order', async () => {
    const a = data(10_000);
    const inputs = splitRange(a.length, 7).map(([from, to]) => ({ a, from, to }));
    const inline = await pool(1).map<unknown, { sum: number; threadId: number }>('fixture.sum', inputs);
    const workers = await pool(2).map<unknown, { sum: number; threadId: number }>('fixture.sum', inputs);
    expect(workers.map((r) => r.sum)).toEqual(inline.map((r) => r.sum));
    expect(inline.every((r) => r.threadId === 0)).toBe(true);
    expect(workers.every((r) => r.threadId !== 0)).toBe(true);
    expect(new Set(workers.map((r) => r.threadId)).size).toBeLessThanOrEqual(2);
  });

  it('shares SharedArrayBuffer-backed arrays: workers write disjoint ranges of one output', async () => {
    const a = toShared(Float32Array.from({ length: 5000 }, (_, i) => i * 0.5));
    const out = sharedArray(Float32Array, a.length);
    const counts = await pool(2).map('fixture.scale', splitRange(a.length, 4).map(([from, to]) => ({ a, out, from, to, scale: 3 })));
    expect(counts).toEqual([1250, 1250, 1250, 1250]);
    expect(isShared(out)).toBe(true);
    for (let i = 0; i < a.length; i += 499) expect(out[i]).toBe(Math.fround(3 * a[i]));
    expect(out[a.length - 1]).toBe(Math.fround(3 * a[a.length - 1]));
  });

  it('raises a task error on the caller as the same class, message and fields, inline and on workers', async () => {
    for (const threads of [1, 2]) {
      const p = pool(threads);
      const err = await p.map('fixture.fail', [{ message: 'ok', code: 0 }, { message: 'bad input at row 3', code: 42 }, { message: 'later', code: 5 }]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FixtureError);
      expect((err as Error).message).toBe('bad input at row 3');
      expect((err as { code: number }).code).toBe(42);
      expect(await p.map('fixture.fail', [{ message: 'fine', code: 0 }])).toEqual(['fine']);
      // the pool still works after a failed task
      expect(await p.run('fixture.sum', { a: data(4), from: 0, to: 4 })).toHaveProperty('sum');
    }
    const derived = await pool(2).run('fixture.failDerived', { message: 'derived' }).catch((e: unknown) => e);
    expect(derived).toBeInstanceOf(FixtureError);
    expect((derived as Error).name).toBe('DerivedFixtureError');
  });

  it('revives core errors as their own classes, exit codes included', () => {
    const e = reviveError({ name: 'UsageError', chain: ['UsageError', 'CollabError', 'Error'], message: 'k must be positive', stack: undefined, props: { exitCode: 2 } });
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(2);
    expect(e.message).toBe('k must be positive');
  });

  it('rejects the task of a worker that exits, replaces the worker, and names unknown tasks', async () => {
    const p = pool(2);
    await expect(p.run('fixture.exit', {})).rejects.toThrow(/exited with code 3/);
    expect(await p.run('fixture.sum', { a: data(3), from: 0, to: 3 })).toHaveProperty('sum');
    await expect(p.run('fixture.nope', {})).rejects.toThrow(/no worker task "fixture.nope"/);
    await expect(pool(1).map('fixture.nope', [{}])).rejects.toThrow(/no worker task/);
  });

  it('rejects an input that cannot be posted, and goes on with the others', async () => {
    const p = pool(2);
    const bad = p.run('fixture.sum', { a: data(2), from: 0, to: 2, f: () => 1 });
    const good = p.run<unknown, { sum: number }>('fixture.sum', { a: data(2), from: 0, to: 2 });
    await expect(bad).rejects.toThrow(/could not be cloned/);
    expect((await good).sum).toBe(data(2)[0] + data(2)[1]);
  });

  it('prepare starts every worker at once and loads the task module; tasks then run as usual', async () => {
    const p = pool(2);
    expect(p.started).toBe(0);
    p.prepare('fixture.sum');
    expect(p.started).toBe(2);
    const a = data(1000);
    const sums = await p.map<unknown, { sum: number; threadId: number }>('fixture.sum', splitRange(a.length, 3).map(([from, to]) => ({ a, from, to })));
    const inline = await pool(1).map<unknown, { sum: number }>('fixture.sum', splitRange(a.length, 3).map(([from, to]) => ({ a, from, to })));
    expect(sums.map((r) => r.sum)).toEqual(inline.map((r) => r.sum));
    expect(p.started).toBe(2);
    // one thread: nothing to start; an unknown task is named at once
    const one = pool(1);
    one.prepare('fixture.sum');
    expect(one.started).toBe(0);
    expect(() => p.prepare('fixture.nope')).toThrow(/fixture\.nope/);
  });

  it('rejects a bad thread count with a usage error', () => {
    expect(() => new WorkerPool({ threads: 0 })).toThrow(UsageError);
    expect(() => new WorkerPool({ threads: 1.5 })).toThrow(/positive integer/);
  });

  it('closes its workers (withWorkerPool) and rejects work after close', async () => {
    let kept: WorkerPool | null = null;
    const r = await withWorkerPool({ threads: 2 }, async (p) => {
      kept = p;
      return p.run<unknown, { sum: number }>('fixture.sum', { a: data(10), from: 0, to: 10 });
    });
    expect(r.sum).toBeCloseTo(data(10).reduce((s, x) => s + x, 0), 9);
    await expect(kept!.run('fixture.sum', { a: data(1), from: 0, to: 1 })).rejects.toThrow(/closed/);
  });

  it('never keeps a process alive: a script that leaves its pool open exits by itself (ESM and CJS builds)', async () => {
    const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
    const body = (load: string) =>
      `${load}; const { tasks } = await import(${JSON.stringify(FIXTURE.href)}); core.registerWorkerTasks(${JSON.stringify(FIXTURE.href)}, tasks);` +
      ` const pool = new node.WorkerPool({ threads: 2 }); const r = await pool.map('fixture.sum', [{ a: core.toShared(new Float64Array([1, 2])), from: 0, to: 2 }, { a: new Float64Array([3]), from: 0, to: 1 }]);` +
      ` console.log(JSON.stringify(r.map((x) => x.sum)));`;
    const esm = `const core = await import(${JSON.stringify(`${dist}index.js`)}); const node = await import(${JSON.stringify(`${dist}node.js`)})`;
    const cjs = `const { createRequire } = await import('node:module'); const req = createRequire(${JSON.stringify(dist)}); const core = req('./index.cjs'); const node = req('./node.cjs')`;
    const runs = await Promise.all([esm, cjs].map((load) => runProcess(process.execPath, ['--input-type=module', '-e', body(load)], { timeout: 60_000 })));
    for (const r of runs) {
      expect(r.timedOut, r.stderr).toBe(false);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe('[3,3]');
    }
  });
});

describe('splitRange', () => {
  it('covers 0..n with contiguous ranges whose lengths differ by at most one', () => {
    expect(splitRange(10, 3)).toEqual([[0, 3], [3, 6], [6, 10]]);
    expect(splitRange(2, 5)).toEqual([[0, 1], [1, 2]]);
    expect(splitRange(0, 4)).toEqual([[0, 0]]);
  });
});
